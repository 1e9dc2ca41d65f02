using NasKit.SearchSpace.Nb201;

namespace NasKit.SearchSpace.Tests.Nb201;

public sealed class Nb201NetworkOptionsTests
{
    [Test]
    public void Presets_BenchmarkDatasets_HaveTheirShapesAndClasses()
    {
        // NAS-Bench-201 paper §2 / ALGORITHMS.md §5(b): CIFAR 3x32x32 (10 / 100 classes), ImageNet16-120 3x16x16 (120 classes), C=16, N=5.
        Assert.Multiple(() =>
        {
            Assert.That(Describe(Nb201NetworkOptions.Cifar10), Is.EqualTo((16, 5, 3, 32, 10)));
            Assert.That(Describe(Nb201NetworkOptions.Cifar100), Is.EqualTo((16, 5, 3, 32, 100)));
            Assert.That(Describe(Nb201NetworkOptions.ImageNet16_120), Is.EqualTo((16, 5, 3, 16, 120)));
            Assert.That(new Nb201NetworkOptions(), Is.EqualTo(Nb201NetworkOptions.Cifar10));
        });
    }

    [Test]
    public void With_ValidChange_KeepsOtherValues()
    {
        var o = Nb201NetworkOptions.Cifar100 with { CellsPerStage = 3 };
        Assert.That(Describe(o), Is.EqualTo((16, 3, 3, 32, 100)));
    }

    [TestCase("Channels", 0)]
    [TestCase("CellsPerStage", -1)]
    [TestCase("InputChannels", 0)]
    [TestCase("Classes", 0)]
    [TestCase("InputSize", 0)]
    [TestCase("InputSize", 30)]
    public void Init_InvalidValue_ThrowsNamingPropertyAndValue(string property, int value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = property switch
        {
            "Channels" => new Nb201NetworkOptions { Channels = value },
            "CellsPerStage" => new Nb201NetworkOptions { CellsPerStage = value },
            "InputChannels" => new Nb201NetworkOptions { InputChannels = value },
            "Classes" => new Nb201NetworkOptions { Classes = value },
            _ => new Nb201NetworkOptions { InputSize = value },
        });
        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(property));
            Assert.That(e.Message, Does.Contain($"{property}={value}"));
        });
    }

    private static (int, int, int, int, int) Describe(Nb201NetworkOptions o) => (o.Channels, o.CellsPerStage, o.InputChannels, o.InputSize, o.Classes);
}
