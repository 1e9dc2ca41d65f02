using NasKit.Optimizers.Internal;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Internal;

public sealed class CategoricalParzenEstimatorTests
{
    [Test]
    public void Probabilities_ThreeObservationsWithPrior_MatchHandComputedMixture()
    {
        // Hand-computed from Optuna's categorical kernels (ALGORITHMS.md §14.5): observations {0, 0, 2}, 3 choices, prior weight 1,
        // K = 4 kernels. An observation row is (1/4 on every choice + 1 on its own) / 1.75 = (5/7, 1/7, 1/7) for choice 0; the prior row
        // is uniform; the mixture weights are 1/4 each. p = ((5+5+1)/7 + 1/3, 3/7 + 1/3, 7/7 + 1/3) / 4 = (10/21, 4/21, 7/21).
        var estimator = new CategoricalParzenEstimator([0, 0, 2], [1, 1, 1], choiceCount: 3);
        Assert.Multiple(() =>
        {
            Assert.That(estimator.Probabilities[0], Is.EqualTo(10.0 / 21).Within(1e-12));
            Assert.That(estimator.Probabilities[1], Is.EqualTo(4.0 / 21).Within(1e-12));
            Assert.That(estimator.Probabilities[2], Is.EqualTo(7.0 / 21).Within(1e-12));
            Assert.That(estimator.LogPdf(1), Is.EqualTo(Math.Log(4.0 / 21)).Within(1e-12));
        });
    }

    [Test]
    public void Probabilities_UnequalWeightsAndPriorWeight_MatchHandComputedMixture()
    {
        // Observations {1, 0} with weights {1, 3}, 2 choices, prior weight 2, K = 3: floor 2/3, row sum 2·2/3 + 1 = 7/3; rows
        // (2/7, 5/7) for choice 1 and (5/7, 2/7) for choice 0; prior (1/2, 1/2); mixture weights (1, 3, 2)/6.
        // p(0) = (1·2/7 + 3·5/7 + 2·1/2) / 6 = (17/7 + 1) / 6 = 24/42 = 4/7.
        var estimator = new CategoricalParzenEstimator([1, 0], [1, 3], choiceCount: 2, new ParzenEstimatorParameters(PriorWeight: 2));
        Assert.Multiple(() =>
        {
            Assert.That(estimator.Probabilities[0], Is.EqualTo(4.0 / 7).Within(1e-12));
            Assert.That(estimator.Probabilities[1], Is.EqualTo(3.0 / 7).Within(1e-12));
        });
    }

    [Test]
    public void Probabilities_NoObservations_Uniform() =>
        Assert.That(new CategoricalParzenEstimator([], [], choiceCount: 4).Probabilities, Is.All.EqualTo(0.25).Within(1e-15));

    [Test]
    public void Probabilities_WithoutPrior_ObservationRowsOnly()
    {
        // Without the prior, K = 1 kernel: floor prior_weight/K = 1, so the row of choice 0 is (1 + 1, 1, 1)/4, and it is the whole mixture.
        var estimator = new CategoricalParzenEstimator([0], [1], choiceCount: 3, new ParzenEstimatorParameters(ConsiderPrior: false));
        Assert.That(estimator.Probabilities, Is.EqualTo(new[] { 0.5, 0.25, 0.25 }).Within(1e-12));
    }

    [Test]
    public void Sample_ManyDraws_FollowTheMixture()
    {
        var estimator = new CategoricalParzenEstimator([0, 0, 2], [1, 1, 1], choiceCount: 3);
        var g = new Generator(1);
        var counts = new int[3];
        const int N = 21_000;
        for (var i = 0; i < N; i++)
        {
            counts[estimator.Sample(g)]++;
        }

        // Expected 10 000, 4 000, 7 000; binomial standard deviations are about 72, 57 and 68.
        Assert.That(counts, Is.EqualTo(new[] { 10_000, 4_000, 7_000 }).Within(300));
    }

    [Test]
    public void Ctor_ObservationOutsideChoices_ThrowsWithIndexAndValue() =>
        Assert.That(() => new CategoricalParzenEstimator([0, 3], [1, 1], choiceCount: 3),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("observations[1]=3"));

    [Test]
    public void Ctor_WeightsDoNotMatchObservations_ThrowsWithBothCounts() =>
        Assert.That(() => new CategoricalParzenEstimator([0, 1], [1], choiceCount: 3),
            Throws.ArgumentException.With.Message.Contains("1 weights for 2 observations"));
}
