using NasKit.SearchSpace.MobileNetV3;
using NasKit.SearchSpace.Operations;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.MobileNetV3;

/// <summary>Tests <see cref="MobileNetV3SpaceOptions"/>.</summary>
public sealed class MobileNetV3SpaceOptionsTests
{
    [Test]
    public void Defaults_MatchOfaMobileNetV3()
    {
        var o = new MobileNetV3SpaceOptions();
        Assert.Multiple(() =>
        {
            Assert.That(o.DepthChoices, Is.EqualTo(new[] { 2, 3, 4 }));
            Assert.That(o.KernelSizeChoices, Is.EqualTo(new[] { 3, 5, 7 }));
            Assert.That(o.ExpandRatioChoices, Is.EqualTo(new[] { 3, 4, 6 }));
            Assert.That(o.Resolutions, Has.Count.EqualTo(25));
            Assert.That(o.Resolutions[0], Is.EqualTo(128));
            Assert.That(o.Resolutions[^1], Is.EqualTo(224));
            Assert.That(o.Resolutions.Zip(o.Resolutions.Skip(1)).All(p => p.Second - p.First == 4), Is.True);
            Assert.That(o.StageWidths, Is.EqualTo(new[] { 24, 40, 80, 112, 160 }));
            Assert.That(o.StageStrides, Is.EqualTo(new[] { 2, 2, 2, 1, 2 }));
            Assert.That(o.StageActivations, Is.EqualTo(new[] { ActivationKind.Relu, ActivationKind.Relu, ActivationKind.Hardswish, ActivationKind.Hardswish, ActivationKind.Hardswish }));
            Assert.That(o.StageSqueezeExcite, Is.EqualTo(new[] { false, true, false, true, true }));
            Assert.That(o.DropoutRate, Is.EqualTo(0.1));
            Assert.That(o.Classes, Is.EqualTo(1000));
            Assert.That(() => o.Validate(), Throws.Nothing);
        });
    }

    [Test]
    public void Validate_SeveralProblems_ListsEveryOneWithValues()
    {
        var o = new MobileNetV3SpaceOptions
        {
            KernelSizeChoices = [3, 4],
            DepthChoices = [2, 2],
            Resolutions = [],
            StageStrides = [2, 2, 2],
            Classes = 0,
            DropoutRate = 1.5,
        };
        var e = Assert.Throws<SearchSpaceValidationException>(() => o.Validate());
        Assert.Multiple(() =>
        {
            Assert.That(e!.Errors, Has.Count.EqualTo(6));
            Assert.That(e.Message, Does.Contain("KernelSizeChoices: every kernel size must be odd").And.Contain("entry 1 is 4"));
            Assert.That(e.Message, Does.Contain("DepthChoices: choices must be distinct, but 2 repeat(s)"));
            Assert.That(e.Message, Does.Contain("Resolutions: at least one choice is needed"));
            Assert.That(e.Message, Does.Contain("StageWidths=5, StageStrides=3"));
            Assert.That(e.Message, Does.Contain("'Classes > 0' must hold, but got 0"));
            Assert.That(e.Message, Does.Contain("'0 <= DropoutRate < 1' must hold, but got 1.5"));
        });
    }

    [Test]
    public void Ctor_SpaceWithInvalidOptions_Throws()
    {
        Assert.That(() => new MobileNetV3SearchSpace(new MobileNetV3SpaceOptions { WidthMultiplier = -1 }), Throws.TypeOf<SearchSpaceValidationException>().With.Message.Contains("WidthMultiplier"));
    }

    [Test]
    public void Space_OptionsChangedAfterConstruction_SpaceUnaffected()
    {
        var o = new MobileNetV3SpaceOptions { Resolutions = [32, 64] };
        var space = new MobileNetV3SearchSpace(o);
        o.Resolutions = [16];
        o.Classes = 3;
        Assert.Multiple(() =>
        {
            Assert.That(space.Options.Resolutions, Is.EqualTo(new[] { 32, 64 }));
            Assert.That(space.Options.Classes, Is.EqualTo(1000));
        });
    }
}
