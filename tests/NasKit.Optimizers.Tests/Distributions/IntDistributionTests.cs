using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers.Tests.Distributions;

public sealed class IntDistributionTests
{
    [Test]
    public void Ctor_RangeNotMultipleOfStep_HighAdjustedDown()
    {
        // Optuna 4.0: IntDistribution(0, 10, step=3).high == 9 (it warns and adjusts high down).
        var d = new IntDistribution(0, 10, step: 3);
        Assert.Multiple(() =>
        {
            Assert.That(d.High, Is.EqualTo(9));
            Assert.That(new IntDistribution(-5, 5, step: 5).High, Is.EqualTo(5));
            Assert.That(d.Contains(9), Is.True);
            Assert.That(d.Contains(10), Is.False);
            Assert.That(d.Contains(4), Is.False);
            Assert.That(d.Contains(3.5), Is.False);
        });
    }

    [TestCase(5, 4, 1, false, "'low <= high' must hold, but got low=5, high=4.")]
    [TestCase(1, 4, 0, false, "'step >= 1' must hold for an integer parameter, but got step=0.")]
    [TestCase(1, 8, 2, true, "'log' and 'step' are exclusive: a log integer parameter needs step=1, but got step=2.")]
    [TestCase(0, 8, 1, true, "'low >= 1' must hold for a log integer parameter, but got low=0, high=8.")]
    public void Ctor_RuleBroken_ThrowsStatingRuleAndValues(int low, int high, int step, bool log, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new IntDistribution(low, high, step, log));
        Assert.That(e!.Message, Does.StartWith(message));
    }

    [Test]
    public void ToExternal_ValueOutside_ThrowsNamingDistribution()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new IntDistribution(1, 9, step: 2).ToExternal(4));
        Assert.That(e!.Message, Does.Contain("int [1, 9] step 2"));
    }

    [Test]
    public void Equals_SameAfterAdjustment_EqualAndSameHash()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new IntDistribution(0, 10, 3), Is.EqualTo(new IntDistribution(0, 9, 3)));
            Assert.That(new IntDistribution(0, 10, 3).GetHashCode(), Is.EqualTo(new IntDistribution(0, 9, 3).GetHashCode()));
            Assert.That(new IntDistribution(1, 10, log: true), Is.Not.EqualTo(new IntDistribution(1, 10)));
        });
    }
}
