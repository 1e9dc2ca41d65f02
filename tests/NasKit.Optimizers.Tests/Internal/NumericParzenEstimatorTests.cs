using NasKit.Optimizers.Internal;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Internal;

public sealed class NumericParzenEstimatorTests
{
    [Test]
    public void Sigmas_TwoObservations_FollowNeighbourGapsEndpointsRuleAndMagicClip()
    {
        // Observations {2, 3} on [0, 10], prior centre 5. Sorted with sentinels: 0 | 2 3 5 | 10. Neighbour gaps give 2, 2, 5; without
        // endpoints the first becomes 3 − 2 = 1 (the last, the prior's, is discarded); the clip [10/min(100, 1 + 3), 10] raises both to 2.5.
        var estimator = new NumericParzenEstimator([2.0, 3.0], [1, 1], low: 0, high: 10, step: null, log: false);
        Assert.Multiple(() =>
        {
            Assert.That(estimator.Mus, Is.EqualTo(new[] { 2.0, 3.0, 5.0 }));
            Assert.That(estimator.Sigmas, Is.EqualTo(new[] { 2.5, 2.5, 10.0 }).Within(1e-12));
            Assert.That(estimator.Weights, Is.EqualTo(new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 }).Within(1e-12));
        });
    }

    [Test]
    public void Sigmas_ManyObservations_UnclippedGapsWithoutEndpoints()
    {
        // Observations {1, 2, 4, 7, 9, 9.5} on [0, 10]; sorted with the prior 5: 0 | 1 2 4 5 7 9 9.5 | 10. Gaps: 1→max(1,1)=1 but first →
        // inner gap 1; 2→max(1,2)=2; 4→max(2,1)=2; 7→max(2,2)=2; 9→max(2,0.5)=2; 9.5 is last → inner gap 0.5. Clip min 10/8 = 1.25.
        var estimator = new NumericParzenEstimator([1, 2, 4, 7, 9, 9.5], [1, 1, 1, 1, 1, 1], 0, 10, null, false);
        Assert.That(estimator.Sigmas, Is.EqualTo(new[] { 1.25, 2, 2, 2, 2, 1.25, 10 }).Within(1e-12));
    }

    [Test]
    public void LogPdf_Continuous_MatchesHandComputedTruncatedMixture()
    {
        // Python 3 math.erfc on the kernels above: log Σ (1/3)·φ((4 − μ)/σ)/σ / (Φ((10 − μ)/σ) − Φ(−μ/σ)) over (2, 2.5), (3, 2.5), (5, 10).
        var estimator = new NumericParzenEstimator([2.0, 3.0], [1, 1], 0, 10, null, false);
        Assert.Multiple(() =>
        {
            Assert.That(estimator.LogPdf(4), Is.EqualTo(-1.9714579101439156).Within(1e-12));
            Assert.That(estimator.LogPdf(10.5), Is.EqualTo(double.NegativeInfinity));
        });
    }

    [Test]
    public void LogPdf_Stepped_MatchesHandComputedDiscretisedMassAndSumsToOne()
    {
        // Integers 0..5 (step 1), observations {1, 2}: sentinels −0.5 and 5.5, every σ clipped to 6/4 = 1.5, prior (2.5, 6).
        // P(x) = Σ (1/3)·[Φ((x + ½ − μ)/σ) − Φ((x − ½ − μ)/σ)] / [Φ((5.5 − μ)/σ) − Φ((−0.5 − μ)/σ)]; Python 3 math.erfc gives log P(2).
        var estimator = new NumericParzenEstimator([1.0, 2.0], [1, 1], 0, 5, step: 1, log: false);
        var total = Enumerable.Range(0, 6).Sum(x => Math.Exp(estimator.LogPdf(x)));
        Assert.Multiple(() =>
        {
            Assert.That(estimator.Sigmas, Is.EqualTo(new[] { 1.5, 1.5, 6.0 }).Within(1e-12));
            Assert.That(estimator.LogPdf(2), Is.EqualTo(-1.454068547914465).Within(1e-12));
            Assert.That(total, Is.EqualTo(1.0).Within(1e-12));
        });
    }

    [Test]
    public void LogPdf_Log_MatchesHandComputedDensityOfLogX()
    {
        // Log variable on [1, 1000], observations {1, 100}: in log space [0, 6.9078], centres 0 and 4.6052, prior 3.4539.
        // σ(0) = inner gap 3.4539 (first), σ(4.6052) = inner gap 1.1513 (last) raised by the clip to 6.9078/4 = 1.7269; prior σ 6.9078.
        // Python 3 math.erfc: log density of log 10 under the truncated mixture.
        var estimator = new NumericParzenEstimator([1.0, 100.0], [1, 1], 1, 1000, step: null, log: true);
        Assert.Multiple(() =>
        {
            Assert.That(estimator.Sigmas[0], Is.EqualTo(0.5 * Math.Log(1000)).Within(1e-12));
            Assert.That(estimator.Sigmas[1], Is.EqualTo(Math.Log(1000) / 4).Within(1e-12));
            Assert.That(estimator.LogPdf(10), Is.EqualTo(-1.9027292762871268).Within(1e-12));
        });
    }

    [Test]
    public void Sample_StepAndLog_StayInsideTheDomainOnTheGrid()
    {
        var stepped = new NumericParzenEstimator([1.0, 2.0], [1, 1], 0, 5, step: 1, log: false);
        var logged = new NumericParzenEstimator([1.0, 100.0], [1, 1], 1, 1000, step: null, log: true);
        var g = new Generator(3);
        for (var i = 0; i < 2000; i++)
        {
            var s = stepped.Sample(g);
            var l = logged.Sample(g);
            Assert.That(s, Is.InRange(0, 5));
            Assert.That(s, Is.EqualTo(Math.Round(s)));
            Assert.That(l, Is.InRange(1, 1000));
        }
    }

    [Test]
    public void Sample_ManyDraws_MatchTheDiscretisedProbabilities()
    {
        var estimator = new NumericParzenEstimator([1.0, 2.0], [1, 1], 0, 5, step: 1, log: false);
        var g = new Generator(5);
        var counts = new int[6];
        const int N = 30_000;
        for (var i = 0; i < N; i++)
        {
            counts[(int)estimator.Sample(g)]++;
        }

        for (var x = 0; x < 6; x++)
        {
            // 4 binomial standard deviations at most sqrt(N/4) ≈ 87.
            Assert.That(counts[x], Is.EqualTo(N * Math.Exp(estimator.LogPdf(x))).Within(350), $"x = {x}");
        }
    }

    [TestCase(5.0, 5.0, false)]
    [TestCase(0.0, 10.0, true)]
    public void Ctor_InvalidBounds_ThrowWithTheValues(double low, double high, bool log) =>
        Assert.That(() => new NumericParzenEstimator([], [], low, high, null, log), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("low=" + low));

    [Test]
    public void Ctor_ObservationOutsideBounds_Throws() =>
        Assert.That(() => new NumericParzenEstimator([11.0], [1], 0, 10, null, false),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("observations[0]=11"));
}
