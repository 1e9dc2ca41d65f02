using NasKit.SearchSpace.Darts;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Darts;

/// <summary>Tests of <see cref="DartsNetworkOptions"/>.</summary>
public sealed class DartsNetworkOptionsTests
{
    [Test]
    public void Ctor_Defaults_DartsCifarEvaluationSettings()
    {
        var options = new DartsNetworkOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Channels, Is.EqualTo(36));
            Assert.That(options.Layers, Is.EqualTo(20));
            Assert.That(options.InputChannels, Is.EqualTo(3));
            Assert.That(options.InputSize, Is.EqualTo(32));
            Assert.That(options.Classes, Is.EqualTo(10));
            Assert.That(options.AuxiliaryHead, Is.False);
            Assert.That(options.DropPathProbability, Is.Zero);
            Assert.That(options.Validate(), Is.Empty);
        });
    }

    [TestCase(29, 20, true)]
    [TestCase(28, 20, false)]
    [TestCase(15, 1, true)]
    [TestCase(14, 1, false)]
    public void Validate_AuxiliaryHead_NeedsEightByEightAfterReductions(int inputSize, int layers, bool valid)
    {
        // 29 -> 15 -> 8 after two reductions; with one cell there is a single reduction (15 -> 8, 14 -> 7).
        var options = new DartsNetworkOptions { AuxiliaryHead = true, InputSize = inputSize, Layers = layers };
        Assert.That(options.Validate(), valid ? Is.Empty : Has.One.Contains("auxiliary head"));
    }

    [Test]
    public void Validate_NegativeAndNaN_ReportsEveryProblem()
    {
        var options = new DartsNetworkOptions { Layers = 0, InputChannels = -2, InputSize = 0, DropPathProbability = double.NaN };
        Assert.That(options.Validate(), Is.EqualTo(new[]
        {
            "'Layers > 0' must hold, but got Layers=0.",
            "'InputChannels > 0' must hold, but got InputChannels=-2.",
            "'InputSize > 0' must hold, but got InputSize=0.",
            "'0 <= DropPathProbability < 1' must hold, but got DropPathProbability=NaN.",
        }));
    }

    [Test]
    public void Clone_ThenChangeCopy_OriginalUnchanged()
    {
        var options = new DartsNetworkOptions { Channels = 8 };
        var copy = options.Clone();
        copy.Channels = 16;
        Assert.That(options.Channels, Is.EqualTo(8));
    }
}
