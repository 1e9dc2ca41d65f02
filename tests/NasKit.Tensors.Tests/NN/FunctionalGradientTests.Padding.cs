using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Gradient checks of Functional.Pad in every mode (Functional.Padding.cs).</summary>
public partial class FunctionalGradientTests
{
    private static readonly object[] s_constantPads =
    [
        new object[] { new[] { 2, 3, 4 }, new[] { 1, 2 } },
        new object[] { new[] { 2, 3, 4 }, new[] { 1, 0, 2, 1 } },
        new object[] { new[] { 2, 3, 4 }, new[] { 1, 1, 0, 2, 1, 0 } },
        new object[] { new[] { 2, 3, 4 }, new[] { -1, 2 } },
        new object[] { new[] { 2, 3, 4 }, new[] { 2, -1, -1, 1 } },
        new object[] { new[] { 5 }, new[] { 0, 3 } },
    ];

    private static readonly object[] s_borderPads =
    [
        new object[] { PaddingMode.Reflect, new[] { 2, 3, 5 }, new[] { 2, 3 } },
        new object[] { PaddingMode.Reflect, new[] { 1, 2, 4, 5 }, new[] { 1, 2, 3, 1 } },
        new object[] { PaddingMode.Replicate, new[] { 2, 3, 5 }, new[] { 3, 1 } },
        new object[] { PaddingMode.Replicate, new[] { 1, 2, 4, 5 }, new[] { 2, 0, 1, 3 } },
        new object[] { PaddingMode.Circular, new[] { 2, 3, 5 }, new[] { 2, 4 } },
        new object[] { PaddingMode.Circular, new[] { 1, 2, 4, 5 }, new[] { 1, 2, 3, 1 } },
    ];

    [TestCaseSource(nameof(s_constantPads))]
    public void Pad_ConstantModeWithCropping_GradientMatchesNumerical(int[] shape, int[] pads)
    {
        using var x = TestData.Tensor(90, shape, requiresGrad: true);
        GradientChecker.Check(() => Functional.Pad(x, pads, PaddingMode.Constant, 0.5f), [x]);
    }

    [TestCaseSource(nameof(s_borderPads))]
    public void Pad_ReflectReplicateCircular_GradientMatchesNumerical(PaddingMode mode, int[] shape, int[] pads)
    {
        using var x = TestData.Tensor(91, shape, requiresGrad: true);
        GradientChecker.Check(() => Functional.Pad(x, pads, mode), [x]);
    }

    [Test]
    public void Pad_ValuesOfEachModeOnAVector_MatchTheDefinitions()
    {
        // [1 2 3 4] padded (2, 1): PyTorch 1.13 gives reflect [3 2 1 2 3 4 3], replicate [1 1 1 2 3 4 4], circular [3 4 1 2 3 4 1].
        using var x = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4);
        using var constant = Functional.Pad(x, [2, 1], PaddingMode.Constant, -1f);
        using var reflect = Functional.Pad(x, [2, 1], PaddingMode.Reflect);
        using var replicate = Functional.Pad(x, [2, 1], PaddingMode.Replicate);
        using var circular = Functional.Pad(x, [2, 1], PaddingMode.Circular);
        using var crop = Functional.Pad(x, [-1, -2]);
        Assert.Multiple(() =>
        {
            Assert.That(constant.ToArray(), Is.EqualTo(new[] { -1f, -1f, 1f, 2f, 3f, 4f, -1f }));
            Assert.That(reflect.ToArray(), Is.EqualTo(new[] { 3f, 2f, 1f, 2f, 3f, 4f, 3f }));
            Assert.That(replicate.ToArray(), Is.EqualTo(new[] { 1f, 1f, 1f, 2f, 3f, 4f, 4f }));
            Assert.That(circular.ToArray(), Is.EqualTo(new[] { 3f, 4f, 1f, 2f, 3f, 4f, 1f }));
            Assert.That(crop.ToArray(), Is.EqualTo(new[] { 2f }));
        });
    }

    [Test]
    public void Pad_InvalidPads_ThrowWithValues()
    {
        using var x = Tensor.Zeros(1, 3);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.Pad(x, [1]), Throws.ArgumentException.With.Message.Contains("[1]"));
            Assert.That(() => Functional.Pad(x, [3, 0], PaddingMode.Reflect), Throws.ArgumentException.With.Message.Contains("[3, 0]"));
            Assert.That(() => Functional.Pad(x, [-2, -2]), Throws.ArgumentException.With.Message.Contains("below zero"));
            Assert.That(() => Functional.Pad(x, [4, 0], PaddingMode.Circular), Throws.ArgumentException.With.Message.Contains("[4, 0]"));
        });
    }
}
