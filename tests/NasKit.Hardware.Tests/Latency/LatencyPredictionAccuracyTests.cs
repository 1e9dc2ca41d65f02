using NasKit.Hardware.Latency;

namespace NasKit.Hardware.Tests.Latency;

public sealed class LatencyPredictionAccuracyTests
{
    [Test]
    public void Compute_HandComputedSeries_ReturnsAllThreeStatistics()
    {
        // By hand: Spearman 0.8 and Pearson 0.8 (see RankStatisticsTests); MAPE = (1/10 + 1/30 + 1/20 + 2/40) / 4.
        var accuracy = LatencyPredictionAccuracy.Compute([10, 20, 30, 40], [11, 19, 29, 42]);
        var ranksFlipped = LatencyPredictionAccuracy.Compute([1, 2, 3, 4], [10, 30, 20, 40]);
        Assert.Multiple(() =>
        {
            Assert.That(accuracy.Count, Is.EqualTo(4));
            Assert.That(accuracy.SpearmanRho, Is.EqualTo(1).Within(1e-12));
            Assert.That(accuracy.MeanAbsolutePercentageError, Is.EqualTo(((1.0 / 10) + (1.0 / 20) + (1.0 / 30) + (2.0 / 40)) / 4).Within(1e-12));
            Assert.That(ranksFlipped.SpearmanRho, Is.EqualTo(0.8).Within(1e-12));
            Assert.That(ranksFlipped.PearsonR, Is.EqualTo(0.8).Within(1e-12));
        });
    }
}
