using NasKit.SearchSpace.Custom;

namespace NasKit.SearchSpace.Tests.Custom;

public sealed class IntChoiceTests
{
    [Test]
    public void Ctor_LowNotBelowHigh_ThrowsWithBothValues()
    {
        var e = Assert.Throws<ArgumentException>(() => Choice.Int("width", 64, 8));
        Assert.That(e!.Message, Does.Contain("'low < high'").And.Contain("low=64").And.Contain("high=8"));
    }

    [Test]
    public void Ctor_StepDoesNotFit_ThrowsWithValues()
    {
        var e = Assert.Throws<ArgumentException>(() => Choice.Int("width", 8, 60, step: 8));
        Assert.That(e!.Message, Does.Contain("step must fit").And.Contain("low=8, high=60, step=8"));
    }

    [Test]
    public void Ctor_NonPositiveStep_Throws() =>
        Assert.That(() => Choice.Int("width", 8, 64, step: 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("step=0"));

    [Test]
    public void Ctor_LogWithNonPositiveLow_Throws() =>
        Assert.That(() => Choice.Int("n", 0, 64, log: true), Throws.ArgumentException.With.Message.Contains("'low > 0'").And.Message.Contains("low=0"));

    [Test]
    public void Ctor_LogWithStep_Throws() =>
        Assert.That(() => Choice.Int("n", 2, 64, step: 2, log: true), Throws.ArgumentException.With.Message.Contains("'step == 1'"));

    [Test]
    public void Count_SteppedRange_CountsGridPoints()
    {
        var choice = Choice.Int("width", 8, 64, step: 8);
        Assert.Multiple(() =>
        {
            Assert.That(choice.Count, Is.EqualTo(8));
            Assert.That(choice.IsFinite, Is.True);
            Assert.That(choice.ToString(), Is.EqualTo("width: an integer in [8, 64] with step 8"));
        });
    }
}
