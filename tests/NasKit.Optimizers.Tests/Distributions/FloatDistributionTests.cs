using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers.Tests.Distributions;

public sealed class FloatDistributionTests
{
    [Test]
    public void Ctor_StepDoesNotDivideRange_HighAdjustedDownInDecimal()
    {
        Assert.Multiple(() =>
        {
            // Optuna 4.0: FloatDistribution(0, 1, step=0.3).high == 0.9; FloatDistribution(0, 0.3, step=0.1).high == 0.3 (decimal arithmetic).
            Assert.That(new FloatDistribution(0, 1, step: 0.3).High, Is.EqualTo(0.9).Within(1e-15));
            Assert.That(new FloatDistribution(0, 0.3, step: 0.1).High, Is.EqualTo(0.3));
            Assert.That(new FloatDistribution(0, 1, step: 0.1).High, Is.EqualTo(1.0));
            Assert.That(new FloatDistribution(0.5, 2).High, Is.EqualTo(2.0));
        });
    }

    [Test]
    public void Contains_Grid_WithinOptunaTolerance()
    {
        var d = new FloatDistribution(0, 1, step: 0.1);
        Assert.Multiple(() =>
        {
            Assert.That(d.Contains(0.1 + 0.2), Is.True); // 0.30000000000000004 is grid point 3
            Assert.That(d.Contains(0.35), Is.False);
            Assert.That(d.Contains(1.0000001), Is.False);
            Assert.That(d.Contains(double.NaN), Is.False);
        });
    }

    [TestCase(1.0, 0.5, null, false, "'low <= high' must hold, but got low=1, high=0.5.")]
    [TestCase(0.1, 1.0, 0.1, true, "'log' and 'step' are exclusive, but got log=true, step=0.1.")]
    [TestCase(0.0, 1.0, null, true, "'low > 0' must hold for a log parameter, but got low=0, high=1.")]
    [TestCase(0.0, 1.0, -0.5, false, "'step > 0' must hold with step finite, but got step=-0.5.")]
    [TestCase(double.NegativeInfinity, 1.0, null, false, "'low' and 'high' must be finite, but got low=-Infinity, high=1.")]
    public void Ctor_RuleBroken_ThrowsStatingRuleAndValues(double low, double high, double? step, bool log, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new FloatDistribution(low, high, step, log));
        Assert.That(e!.Message, Does.StartWith(message));
    }
}
