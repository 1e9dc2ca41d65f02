using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Gradient checks of the pooling functions (Functional.Pooling.cs).</summary>
public partial class FunctionalGradientTests
{
    // input shape, kernel, stride, padding, dilation, ceil mode
    private static readonly object[] s_maxPoolCases =
    [
        new object[] { new[] { 2, 2, 6, 6 }, (2, 2), (2, 2), (0, 0), (1, 1), false },
        new object[] { new[] { 1, 3, 7, 7 }, (3, 3), (2, 2), (1, 1), (1, 1), false },
        new object[] { new[] { 1, 2, 5, 5 }, (3, 3), (1, 1), (1, 1), (1, 1), false },
        new object[] { new[] { 2, 1, 8, 7 }, (2, 2), (3, 3), (0, 0), (1, 1), false },
        new object[] { new[] { 1, 2, 6, 6 }, (3, 3), (2, 2), (0, 0), (1, 1), true },
        new object[] { new[] { 1, 2, 7, 6 }, (3, 2), (2, 2), (1, 1), (1, 1), true },
        new object[] { new[] { 1, 2, 7, 7 }, (2, 2), (1, 1), (0, 0), (2, 2), false },
        new object[] { new[] { 1, 1, 6, 9 }, (2, 3), (2, 3), (1, 0), (1, 1), false },
    ];

    // input shape, kernel, stride, padding, ceil mode, count include pad, divisor override
    private static readonly object[] s_avgPoolCases =
    [
        new object[] { new[] { 2, 2, 6, 6 }, (2, 2), (2, 2), (0, 0), false, true, null! },
        new object[] { new[] { 1, 3, 7, 7 }, (3, 3), (2, 2), (1, 1), false, true, null! },
        new object[] { new[] { 1, 3, 7, 7 }, (3, 3), (2, 2), (1, 1), false, false, null! },
        new object[] { new[] { 1, 2, 6, 6 }, (3, 3), (2, 2), (1, 1), true, true, null! },
        new object[] { new[] { 1, 2, 6, 6 }, (3, 3), (2, 2), (1, 1), true, false, null! },
        new object[] { new[] { 2, 1, 8, 7 }, (2, 2), (3, 3), (0, 0), true, true, null! },
        new object[] { new[] { 1, 1, 5, 8 }, (2, 4), (1, 3), (1, 2), false, false, null! },
        new object[] { new[] { 1, 2, 5, 5 }, (3, 3), (2, 2), (1, 1), false, true, 5 },
    ];

    [TestCaseSource(nameof(s_maxPoolCases))]
    public void MaxPool2d_DistinctValues_GradientMatchesNumerical(int[] shape, (int, int) kernel, (int, int) stride, (int, int) padding, (int, int) dilation, bool ceilMode)
    {
        using var x = TestData.Distinct(31, shape);
        GradientChecker.Check(() => Functional.MaxPool2d(x, kernel, stride, padding, dilation, ceilMode), [x], requireSignal: true);
    }

    [TestCaseSource(nameof(s_avgPoolCases))]
    public void AvgPool2d_PaddingCeilModeAndDivisors_GradientMatchesNumerical(int[] shape, (int, int) kernel, (int, int) stride, (int, int) padding, bool ceilMode, bool countIncludePad, int? divisor)
    {
        using var x = TestData.Tensor(32, shape, requiresGrad: true);
        GradientChecker.Check(() => Functional.AvgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad, divisor), [x], atol: 5e-4);
    }

    [Test]
    public void Pooling_UnbatchedInput_GradientsMatchNumerical()
    {
        using var x = TestData.Distinct(33, [2, 5, 5]);
        GradientChecker.Check(() => Functional.MaxPool2d(x, 2, stride: 1), [x]);
        GradientChecker.Check(() => Functional.AvgPool2d(x, 3, stride: 2, padding: 1), [x], atol: 5e-4);
    }

    [Test]
    public void MaxPool2d_NonContiguousInput_GradientMatchesNumerical()
    {
        using var x = TestData.Distinct(34, [1, 6, 5, 2]);
        GradientChecker.Check(() => Functional.MaxPool2d(x.Permute(0, 3, 1, 2), 2, stride: 2, ceilMode: true), [x]);
    }

    [TestCase(7, 5, 3, 2)]
    [TestCase(6, 6, 1, 1)]
    [TestCase(5, 7, 4, 3)]
    [TestCase(3, 3, 5, 4)]
    public void AdaptiveAvgPool2d_NonDivisibleSizes_GradientMatchesNumerical(int h, int w, int outH, int outW)
    {
        using var x = TestData.Tensor(35, [2, 2, h, w], requiresGrad: true);
        GradientChecker.Check(() => Functional.AdaptiveAvgPool2d(x, (outH, outW)), [x], atol: 5e-4);
    }

    [TestCase(7, 5, 3, 2)]
    [TestCase(6, 6, 1, 1)]
    [TestCase(5, 7, 4, 3)]
    [TestCase(3, 3, 5, 4)]
    public void AdaptiveMaxPool2d_NonDivisibleSizes_GradientMatchesNumerical(int h, int w, int outH, int outW)
    {
        // Bins overlap when the size does not divide: one input can be the maximum of two bins, and both gradients must add up.
        using var x = TestData.Distinct(36, [2, 2, h, w]);
        GradientChecker.Check(() => Functional.AdaptiveMaxPool2d(x, (outH, outW)), [x], requireSignal: true);
    }

    [Test]
    public void AdaptivePooling_FiveToThree_FollowsPyTorchBinBoundaries()
    {
        // Bins of 5 → 3: [0, 2), [1, 4), [3, 5) (floor(i·5/3) to ceil((i+1)·5/3)).
        using var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 1, 1, 5);
        using var y = Functional.AdaptiveAvgPool2d(x, (1, 3));
        using var m = Functional.AdaptiveMaxPool2d(x, (1, 3));
        Assert.Multiple(() =>
        {
            Assert.That(y.ToArray(), Is.EqualTo(new[] { 1.5f, 3f, 4.5f }));
            Assert.That(m.ToArray(), Is.EqualTo(new[] { 2f, 4f, 5f }));
        });
    }

    [Test]
    public void GlobalAvgPool2d_ImageBatch_GradientMatchesNumerical()
    {
        using var x = TestData.Tensor(37, [2, 3, 4, 5], requiresGrad: true);
        GradientChecker.Check(() => Functional.GlobalAvgPool2d(x), [x], atol: 2e-4);
        using var y = Functional.GlobalAvgPool2d(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void MaxPool2d_Ties_SendTheGradientToOnePosition()
    {
        // PyTorch 1.13 routes a window's gradient to the first maximum it finds (row-major), never splitting it.
        using var x = Tensor.Ones(1, 1, 2, 2).WithRequiresGrad();
        using var y = Functional.MaxPool2d(x, 2);
        using var s = y.Sum();
        s.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 0f }));
    }

    [Test]
    public void Pooling_InvalidConfigurations_ThrowWithValues()
    {
        using var x = Tensor.Zeros(1, 1, 4, 4);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.MaxPool2d(x, 2, padding: 2), Throws.ArgumentException.With.Message.Contains("half"));
            Assert.That(() => Functional.AvgPool2d(x, 5), Throws.ArgumentException.With.Message.Contains("4x4"));
            Assert.That(() => Functional.AvgPool2d(x, 2, divisorOverride: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Functional.AdaptiveAvgPool2d(x, (0, 1)), Throws.ArgumentException.With.Message.Contains("(0, 1)"));
        });
    }

    [Test]
    public void MaxPool2d_PlaneBeyondExactFloatIndices_ThrowsWithPlaneSize()
    {
        // Max-pool positions are kept as floats, exact up to 2^24 per plane; a larger plane must be refused, not mis-routed.
        using var x = Tensor.Zeros(1, 1, 1, (1 << 24) + 1);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.MaxPool2d(x, (1, 2), null, (0, 0), (1, 1)), Throws.ArgumentException.With.Message.Contains("1x16777217"));
            Assert.That(() => Functional.AdaptiveMaxPool2d(x, (1, 1)), Throws.ArgumentException.With.Message.Contains("1x16777217"));
        });
    }
}
