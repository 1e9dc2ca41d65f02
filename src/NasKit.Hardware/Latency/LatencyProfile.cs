namespace NasKit.Hardware.Latency;

/// <summary>Holds what <see cref="LatencyProfiler.Profile"/> measured for one network.</summary>
/// <param name="Table">The median latency of every unique signature of the network (plus the entries of the table passed in, if any).</param>
/// <param name="Layers">The network's timed units in execution order, one per call, each with its table value.</param>
/// <param name="EndToEndMilliseconds">The median latency of the whole network, measured without hooks.</param>
/// <param name="SumOfLayersMilliseconds">The sum of <paramref name="Layers"/>: the latency a <see cref="LatencyPredictor"/> would predict with this table.</param>
public sealed record LatencyProfile(LatencyTable Table, IReadOnlyList<LayerLatency> Layers, double EndToEndMilliseconds, double SumOfLayersMilliseconds);
