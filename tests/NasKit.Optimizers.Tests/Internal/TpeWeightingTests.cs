using NasKit.Optimizers.Internal;

namespace NasKit.Optimizers.Tests.Internal;

public sealed class TpeWeightingTests
{
    [TestCase(1, 1)]
    [TestCase(10, 1)]
    [TestCase(11, 2)]
    [TestCase(240, 24)]
    [TestCase(1000, 25)]
    public void Gamma_SingleObjective_IsCeilTenthCappedAt25(int n, int expected) => Assert.That(TpeWeighting.Gamma(n), Is.EqualTo(expected));

    [Test]
    public void MultiObjectiveGamma_IsNotCapped() => Assert.That(TpeWeighting.MultiObjectiveGamma(1000), Is.EqualTo(100));

    [Test]
    public void Weights_Below25_AllOnes() => Assert.That(TpeWeighting.Weights(24), Is.All.EqualTo(1.0));

    [Test]
    public void Weights_28Observations_RampThenOnes()
    {
        // numpy: np.concatenate([np.linspace(1/28, 1, 3), np.ones(25)]) → 1/28, (1/28 + 1)/2, 1, then 25 ones.
        var w = TpeWeighting.Weights(28);
        Assert.Multiple(() =>
        {
            Assert.That(w, Has.Length.EqualTo(28));
            Assert.That(w[0], Is.EqualTo(1 / 28.0).Within(1e-15));
            Assert.That(w[1], Is.EqualTo(((1 / 28.0) + 1) / 2).Within(1e-15));
            Assert.That(w[2], Is.EqualTo(1.0).Within(1e-15));
            Assert.That(w.Skip(3), Is.All.EqualTo(1.0));
        });
    }

    [Test]
    public void Weights_26Observations_SingleRampPointIsOneOverN()
    {
        // numpy.linspace(1/26, 1, 1) is [1/26].
        var w = TpeWeighting.Weights(26);
        Assert.That(w[0], Is.EqualTo(1 / 26.0).Within(1e-15));
    }
}
