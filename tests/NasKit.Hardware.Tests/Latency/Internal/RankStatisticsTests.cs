using NasKit.Hardware.Latency.Internal;

namespace NasKit.Hardware.Tests.Latency.Internal;

public sealed class RankStatisticsTests
{
    [Test]
    public void Ranks_WithTies_AverageTheSpannedRanks()
    {
        // By hand: sorted 1 (rank 1), 2 (rank 2), 3 and 3 share ranks 3 and 4 -> 3.5 each.
        Assert.That(RankStatistics.Ranks([3, 1, 3, 2]), Is.EqualTo(new[] { 3.5, 1, 3.5, 2 }));
    }

    [Test]
    public void Spearman_NoTies_MatchesClassicFormula()
    {
        // By hand: ranks of y are [1, 3, 2, 4]; d = [0, -1, 1, 0]; rho = 1 - 6·Σd²/(n(n²-1)) = 1 - 12/60 = 0.8.
        Assert.That(RankStatistics.Spearman([1, 2, 3, 4], [10, 30, 20, 40]), Is.EqualTo(0.8).Within(1e-12));
    }

    [Test]
    public void Spearman_WithTies_IsPearsonOfAveragedRanks()
    {
        // By hand: ranks x = [1,2,3,4,5], ranks y = [1,2,3.5,5,3.5]; centred products sum to 8, Σdx² = 10, Σdy² = 9.5,
        // so rho = 8 / sqrt(95) = 0.82078268...
        Assert.That(RankStatistics.Spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), Is.EqualTo(8 / Math.Sqrt(95)).Within(1e-12));
    }

    [Test]
    public void Spearman_ReversedOrder_IsMinusOne()
    {
        Assert.That(RankStatistics.Spearman([0.5, 1.5, 9, 20], [4, 3, 2, 1]), Is.EqualTo(-1).Within(1e-12));
    }

    [Test]
    public void Spearman_MonotoneButNonlinear_IsOneWhilePearsonIsNot()
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [1, 8, 27, 1000];
        Assert.Multiple(() =>
        {
            Assert.That(RankStatistics.Spearman(x, y), Is.EqualTo(1).Within(1e-12));
            Assert.That(RankStatistics.Pearson(x, y), Is.LessThan(0.9));
        });
    }

    [Test]
    public void Pearson_HandComputed_IsPointEight()
    {
        // By hand: dx = [-1.5,-.5,.5,1.5], dy = [-15,5,-5,15]; Σdxdy = 40, Σdx² = 5, Σdy² = 500; r = 40/50.
        Assert.That(RankStatistics.Pearson([1, 2, 3, 4], [10, 30, 20, 40]), Is.EqualTo(0.8).Within(1e-12));
    }

    [Test]
    public void Pearson_ConstantSeries_IsNaN()
    {
        Assert.That(RankStatistics.Pearson([1, 1, 1], [1, 2, 3]), Is.NaN);
    }

    [Test]
    public void MeanAbsolutePercentageError_HandComputed_IsMeanOfRelativeErrors()
    {
        // By hand: |11-10|/10 = 0.1, |18-20|/20 = 0.1, |40-40|/40 = 0; mean 0.2/3.
        Assert.That(RankStatistics.MeanAbsolutePercentageError([10, 20, 40], [11, 18, 40]), Is.EqualTo(0.2 / 3).Within(1e-12));
    }

    [Test]
    public void MeanAbsolutePercentageError_ZeroActual_ThrowsNamingIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => RankStatistics.MeanAbsolutePercentageError([1, 0], [1, 1]));
        Assert.That(e!.Message, Does.Contain("actual[1] is 0"));
    }

    [Test]
    public void Spearman_LengthMismatch_ThrowsWithBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => RankStatistics.Spearman([1, 2, 3], [1, 2]));
        Assert.That(e!.Message, Does.Contain("3 and 2"));
    }

    [Test]
    public void Spearman_NaNValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => RankStatistics.Spearman([1, double.NaN], [1, 2]));
    }
}
