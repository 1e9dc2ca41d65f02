using NasKit.SearchSpace.Custom;

namespace NasKit.SearchSpace.Tests.Custom;

public sealed class FloatChoiceTests
{
    [TestCase(1.0, 1.0)]
    [TestCase(2.0, 1.0)]
    [TestCase(double.NaN, 1.0)]
    [TestCase(0.0, double.PositiveInfinity)]
    public void Ctor_BoundsNotOrderedOrNotFinite_Throws(double low, double high) =>
        Assert.That(() => Choice.Float("lr", low, high), Throws.ArgumentException.With.Message.Contains("'low < high'"));

    [Test]
    public void Ctor_LogWithNonPositiveLow_ThrowsWithValue() =>
        Assert.That(() => Choice.Float("lr", 0, 1, log: true), Throws.ArgumentException.With.Message.Contains("low=0"));

    [Test]
    public void Ctor_LogWithStep_Throws() =>
        Assert.That(() => Choice.Float("lr", 0.1, 1, step: 0.1, log: true), Throws.ArgumentException.With.Message.Contains("cannot be combined with a step"));

    [Test]
    public void Ctor_StepDoesNotFit_ThrowsWithStepCount()
    {
        var e = Assert.Throws<ArgumentException>(() => Choice.Float("p", 0, 1, step: 0.3));
        Assert.That(e!.Message, Does.Contain("step must fit").And.Contain("step=0.3"));
    }

    [TestCase(0.0)]
    [TestCase(-0.5)]
    public void Ctor_NonPositiveStep_Throws(double step) =>
        Assert.That(() => Choice.Float("p", 0, 1, step: step), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Count_ContinuousAndStepped_NullAndGridSize()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Choice.Float("lr", 1e-4, 1, log: true).Count, Is.Null);
            Assert.That(Choice.Float("lr", 1e-4, 1, log: true).IsFinite, Is.False);
            Assert.That(Choice.Float("p", 0, 1, step: 0.1).Count, Is.EqualTo(11));
        });
    }
}
