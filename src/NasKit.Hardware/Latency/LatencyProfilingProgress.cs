namespace NasKit.Hardware.Latency;

/// <summary>Reports how far a <see cref="LatencyProfiler"/> has come, in rounds: a round times every new layer signature once, or
/// every network once (warm-up rounds included).</summary>
/// <param name="Completed">The rounds done.</param>
/// <param name="Total">The rounds in all.</param>
/// <param name="Phase">What the rounds time: <see cref="LayersPhase"/> or <see cref="EndToEndPhase"/>.</param>
public readonly record struct LatencyProfilingProgress(int Completed, int Total, string Phase)
{
    /// <summary>The phase that times layer signatures in isolation.</summary>
    public const string LayersPhase = "layers";

    /// <summary>The phase that times whole networks.</summary>
    public const string EndToEndPhase = "end-to-end";
}
