using NasKit.Hardware.Latency.Internal;

namespace NasKit.Hardware.Latency;

/// <summary>Summarises how well predicted latencies match measured ones over a set of networks.</summary>
/// <param name="Count">The number of networks.</param>
/// <param name="SpearmanRho">Spearman's rank correlation of predicted with measured latencies (ties get averaged ranks); NaN when either is constant.</param>
/// <param name="MeanAbsolutePercentageError">The mean of |predicted − measured| / measured, as a fraction (0.1 is 10%).</param>
/// <param name="PearsonR">Pearson's linear correlation of predicted with measured latencies; NaN when either is constant.</param>
public sealed record LatencyPredictionAccuracy(int Count, double SpearmanRho, double MeanAbsolutePercentageError, double PearsonR)
{
    /// <summary>Compares predicted with measured latencies.</summary>
    /// <param name="measured">The measured latencies (non-zero).</param>
    /// <param name="predicted">The predicted latencies, in the same order.</param>
    /// <returns>The accuracy summary.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, fewer than two pairs are given, a value is not finite, or a measured value is 0.</exception>
    public static LatencyPredictionAccuracy Compute(IReadOnlyList<double> measured, IReadOnlyList<double> predicted)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(predicted);
        return new(measured.Count,
            RankStatistics.Spearman(measured, predicted),
            RankStatistics.MeanAbsolutePercentageError(measured, predicted),
            RankStatistics.Pearson(measured, predicted));
    }
}
