namespace NasKit.Hardware.Latency;

/// <summary>Holds a network latency predicted from a <see cref="LatencyTable"/>: the sum of the table entries of its timed units.</summary>
/// <param name="Layers">The network's timed units in execution order, each with its table value (null where the table has none).</param>
/// <param name="MissingSignatures">The unique signatures the table lacks, in order of first use; empty when the prediction is complete.</param>
public sealed record LatencyPrediction(IReadOnlyList<LayerLatency> Layers, IReadOnlyList<string> MissingSignatures)
{
    /// <summary>Gets whether the table held every signature.</summary>
    public bool IsComplete => MissingSignatures.Count == 0;

    /// <summary>Gets the predicted milliseconds, or null when signatures are missing (a partial sum would understate the latency).</summary>
    public double? Milliseconds => IsComplete ? KnownMilliseconds : null;

    /// <summary>Gets the sum over the units the table holds (a lower bound when signatures are missing).</summary>
    public double KnownMilliseconds => Layers.Sum(l => l.Milliseconds ?? 0);

    /// <summary>Gets the predicted milliseconds, throwing when signatures are missing.</summary>
    /// <returns>The predicted milliseconds.</returns>
    /// <exception cref="KeyNotFoundException">The table lacks signatures; the message lists them.</exception>
    public double GetMilliseconds()
    {
        if (IsComplete)
        {
            return KnownMilliseconds;
        }

        const int Shown = 5;
        var list = string.Join("; ", MissingSignatures.Take(Shown).Select(s => $"'{s}'"));
        var more = MissingSignatures.Count > Shown ? $" and {MissingSignatures.Count - Shown} more" : string.Empty;
        throw new KeyNotFoundException(
            $"The latency cannot be predicted: the table has no entry for {MissingSignatures.Count} signature(s): {list}{more}. Profile them with LatencyProfiler, or create the predictor with a profiler for missing signatures.");
    }
}
