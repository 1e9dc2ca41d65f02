using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Gradient checks of Functional.Conv2d and the Conv2d module.</summary>
public partial class FunctionalGradientTests
{
    // input shape, weight shape, stride, padding, dilation, groups, bias
    private static readonly object[] s_convCases =
    [
        new object[] { new[] { 2, 2, 5, 5 }, new[] { 3, 2, 3, 3 }, (1, 1), (0, 0), (1, 1), 1, true },
        new object[] { new[] { 2, 2, 7, 6 }, new[] { 4, 2, 3, 3 }, (2, 2), (1, 1), (1, 1), 1, true },
        new object[] { new[] { 1, 2, 7, 7 }, new[] { 2, 2, 3, 3 }, (1, 1), (2, 2), (2, 2), 1, true },
        new object[] { new[] { 2, 4, 5, 5 }, new[] { 4, 2, 3, 3 }, (1, 1), (1, 1), (1, 1), 2, true },
        new object[] { new[] { 2, 3, 5, 6 }, new[] { 3, 1, 3, 3 }, (1, 1), (1, 1), (1, 1), 3, false },
        new object[] { new[] { 1, 2, 5, 5 }, new[] { 4, 1, 3, 3 }, (2, 1), (1, 0), (1, 1), 2, true },
        new object[] { new[] { 2, 3, 4, 4 }, new[] { 5, 3, 1, 1 }, (1, 1), (0, 0), (1, 1), 1, true },
        new object[] { new[] { 1, 2, 6, 9 }, new[] { 3, 2, 2, 4 }, (1, 2), (1, 2), (1, 1), 1, true },
        new object[] { new[] { 1, 2, 7, 8 }, new[] { 2, 2, 2, 2 }, (3, 3), (0, 0), (1, 1), 1, false },
        new object[] { new[] { 2, 2, 6, 6 }, new[] { 2, 2, 3, 2 }, (2, 1), (2, 1), (2, 3), 1, true },
    ];

    [TestCaseSource(nameof(s_convCases))]
    public void Conv2d_StridePaddingDilationGroups_GradientsWithRespectToInputWeightAndBias(int[] inputShape, int[] weightShape, (int, int) stride, (int, int) padding, (int, int) dilation, int groups, bool withBias)
    {
        using var x = TestData.Tensor(20, inputShape, requiresGrad: true);
        using var w = TestData.Tensor(21, weightShape, requiresGrad: true);
        using var b = TestData.Tensor(22, [weightShape[0]], requiresGrad: true);
        if (withBias)
        {
            GradientChecker.Check(() => Functional.Conv2d(x, w, b, stride, padding, dilation, groups), [x, w, b]);
        }
        else
        {
            GradientChecker.Check(() => Functional.Conv2d(x, w, null, stride, padding, dilation, groups), [x, w]);
        }
    }

    [Test]
    public void Conv2d_UnbatchedInput_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(23, [2, 5, 4], requiresGrad: true);
        using var w = TestData.Tensor(24, [3, 2, 3, 3], requiresGrad: true);
        GradientChecker.Check(() => Functional.Conv2d(x, w, stride: 1, padding: 1), [x, w]);
    }

    [Test]
    public void Conv2d_NonContiguousInputAndWeight_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(25, [2, 5, 5, 2], requiresGrad: true); // NHWC storage, permuted to NCHW
        using var w = TestData.Tensor(26, [2, 3, 3, 3], requiresGrad: true); // [Cin, Cout, kh, kw], transposed
        GradientChecker.Check(() => Functional.Conv2d(x.Permute(0, 3, 1, 2), w.Transpose(0, 1), padding: 1), [x, w]);
    }

    [Test]
    public void Conv2d_OnlyWeightRequiresGrad_GivesWeightGradientOnly()
    {
        using var x = TestData.Tensor(27, [1, 2, 4, 4]);
        using var w = TestData.Tensor(28, [2, 2, 3, 3], requiresGrad: true);
        using var b = TestData.Tensor(29, [2]);
        GradientChecker.Check(() => Functional.Conv2d(x, w, b), [w]);
        Assert.That(x.Grad, Is.Null);
    }

    [Test]
    public void Conv2dModule_Call_GradientsWithRespectToParameters()
    {
        using var conv = new Conv2d(2, 4, (3, 2), (2, 1), (1, 1), (1, 1), groups: 2, generator: new Generator(3));
        using var x = TestData.Tensor(30, [2, 2, 5, 4], requiresGrad: true);
        GradientChecker.Check(() => conv.Call(x), [x, conv.Weight, conv.Bias!]);
    }

    [Test]
    public void Conv2d_InvalidConfigurations_ThrowWithValues()
    {
        using var x = Tensor.Zeros(1, 3, 5, 5);
        using var w = Tensor.Zeros(4, 2, 3, 3);
        using var w3 = Tensor.Zeros(4, 3, 3, 3);
        using var big = Tensor.Zeros(4, 3, 7, 7);
        using var b = Tensor.Zeros(3);
        using var flat = Tensor.Zeros(5, 5);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.Conv2d(x, w), Throws.ArgumentException.With.Message.Contains("[1, 3, 5, 5]").And.Message.Contains("groups=1"));
            Assert.That(() => Functional.Conv2d(x, big), Throws.ArgumentException.With.Message.Contains("5x5"));
            Assert.That(() => Functional.Conv2d(x, w3, b), Throws.ArgumentException.With.Message.Contains("[4]"));
            Assert.That(() => Functional.Conv2d(x, w3, stride: 0), Throws.ArgumentException.With.Message.Contains("stride"));
            Assert.That(() => Functional.Conv2d(flat, w3), Throws.ArgumentException.With.Message.Contains("rank 3 or 4"));
        });
    }
}
