using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Gradient checks of BatchNorm and LayerNorm (Functional.Normalization.cs).</summary>
public partial class FunctionalGradientTests
{
    [TestCase(new[] { 4, 3, 2, 2 })]
    [TestCase(new[] { 6, 4 })]
    [TestCase(new[] { 3, 2, 5 })]
    public void BatchNorm_TrainingMode_GradientsWithRespectToInputWeightAndBias(int[] shape)
    {
        var c = shape[1];
        using var x = TestData.Tensor(40, shape, -2f, 2f, requiresGrad: true);
        using var w = TestData.Tensor(41, [c], 0.5f, 1.5f, requiresGrad: true);
        using var b = TestData.Tensor(42, [c], requiresGrad: true);
        GradientChecker.Check(() => Functional.BatchNorm(x, null, null, w, b, training: true), [x, w, b]);
    }

    [Test]
    public void BatchNorm_TrainingModeAffineOff_GradientMatchesNumerical()
    {
        using var x = TestData.Tensor(43, [4, 3, 2, 3], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => Functional.BatchNorm(x, null, null, training: true), [x]);
    }

    [Test]
    public void BatchNorm_TrainingWithRunningStats_GradientMatchesAndStatsFollowPyTorch()
    {
        using var x = TestData.Tensor(44, [5, 2, 3], -2f, 2f, requiresGrad: true);
        using var rm = Tensor.FromArray([0.5f, -0.5f]);
        using var rv = Tensor.FromArray([2f, 0.5f]);
        using (var y = Functional.BatchNorm(x, rm, rv, training: true, momentum: 0.2f))
        {
            // PyTorch: running_mean = (1 − m)·running_mean + m·batch_mean; running_var uses the unbiased batch variance.
            var xv = x.ToArray();
            for (var ch = 0; ch < 2; ch++)
            {
                var values = Enumerable.Range(0, 5).SelectMany(i => xv.Skip(((i * 2) + ch) * 3).Take(3)).Select(v => (double)v).ToArray();
                var mean = values.Average();
                var unbiased = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
                Assert.That(rm.ToArray()[ch], Is.EqualTo((0.8 * (ch == 0 ? 0.5 : -0.5)) + (0.2 * mean)).Within(1e-6));
                Assert.That(rv.ToArray()[ch], Is.EqualTo((0.8 * (ch == 0 ? 2 : 0.5)) + (0.2 * unbiased)).Within(1e-6));
            }
        }

        GradientChecker.Check(() => Functional.BatchNorm(x, rm, rv, training: true), [x]);
    }

    [Test]
    public void BatchNorm_EvaluationMode_GradientsWithRespectToInputWeightAndBias()
    {
        using var x = TestData.Tensor(45, [3, 2, 2, 2], -2f, 2f, requiresGrad: true);
        using var rm = Tensor.FromArray([0.3f, -0.2f]);
        using var rv = Tensor.FromArray([1.5f, 0.7f]);
        using var w = TestData.Tensor(46, [2], 0.5f, 1.5f, requiresGrad: true);
        using var b = TestData.Tensor(47, [2], requiresGrad: true);
        GradientChecker.Check(() => Functional.BatchNorm(x, rm, rv, w, b, training: false), [x, w, b]);
        using var y = Functional.BatchNorm(x, rm, rv, w, b, training: false, eps: 1e-3f);
        var xv = x.ToArray();
        var yv = y.ToArray();
        var wv = w.ToArray();
        var bv = b.ToArray();
        var rmv = rm.ToArray();
        var rvv = rv.ToArray();
        for (var i = 0; i < xv.Length; i++)
        {
            var ch = i / 4 % 2;
            var expected = ((xv[i] - rmv[ch]) / Math.Sqrt(rvv[ch] + 1e-3) * wv[ch]) + bv[ch];
            Assert.That(yv[i], Is.EqualTo(expected).Within(1e-5), $"element {i}");
        }
    }

    [Test]
    public void BatchNorm_StridedWeightAndBias_MatchContiguousOnes()
    {
        using var x = TestData.Tensor(48, [4, 3, 2], -2f, 2f, requiresGrad: true);
        using var wide = TestData.Tensor(49, [6], 0.5f, 1.5f, requiresGrad: true);
        using var w = wide.Slice(0, 0, 6, 2);
        using var b = wide.Slice(0, 1, 6, 2);
        using var wc = w.Contiguous();
        using var bc = b.Contiguous();
        using var strided = Functional.BatchNorm(x, null, null, w, b, training: true);
        using var dense = Functional.BatchNorm(x, null, null, wc, bc, training: true);
        TensorAssert.Close(strided.ToArray(), dense.ToArray(), 1e-6, 1e-6);
        GradientChecker.Check(() => Functional.BatchNorm(x, null, null, wide.Slice(0, 0, 6, 2), wide.Slice(0, 1, 6, 2), training: true), [x, wide]);
    }

    [Test]
    public void BatchNorm_InvalidInputs_ThrowWithValues()
    {
        using var x = Tensor.Zeros(4, 3);
        using var single = Tensor.Zeros(1, 3);
        using var w = Tensor.Ones(2);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.BatchNorm(x, null, null, training: false), Throws.ArgumentException.With.Message.Contains("running statistics"));
            Assert.That(() => Functional.BatchNorm(single, null, null, training: true), Throws.InvalidOperationException.With.Message.Contains("[1, 3]"));
            Assert.That(() => Functional.BatchNorm(x, null, null, w, training: true), Throws.ArgumentException.With.Message.Contains("[3]").And.Message.Contains("[2]"));
        });
    }

    [Test]
    public void BatchNorm2dModule_TrainAndEval_GradientsWithRespectToParameters()
    {
        using var bn = new BatchNorm2d(3);
        using (Autograd.NoGrad())
        {
            bn.Weight!.CopyFrom([0.5f, 1.5f, -1f]);
            bn.Bias!.CopyFrom([0.1f, -0.2f, 0.3f]);
        }

        using var x = TestData.Tensor(50, [2, 3, 2, 3], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => bn.Call(x), [x, bn.Weight!, bn.Bias!]);
        bn.Eval();
        GradientChecker.Check(() => bn.Call(x), [x, bn.Weight!, bn.Bias!]);
    }

    [TestCase(new[] { 3, 5 }, new[] { 5 })]
    [TestCase(new[] { 2, 3, 4 }, new[] { 4 })]
    [TestCase(new[] { 2, 3, 4 }, new[] { 3, 4 })]
    public void LayerNorm_OneAndTwoTrailingDims_GradientsWithRespectToInputWeightAndBias(int[] shape, int[] normalized)
    {
        using var x = TestData.Tensor(51, shape, -2f, 2f, requiresGrad: true);
        using var w = TestData.Tensor(52, normalized, 0.5f, 1.5f, requiresGrad: true);
        using var b = TestData.Tensor(53, normalized, requiresGrad: true);
        GradientChecker.Check(() => Functional.LayerNorm(x, normalized, w, b), [x, w, b]);
        GradientChecker.Check(() => Functional.LayerNorm(x, normalized), [x]);
    }

    [Test]
    public void LayerNorm_NoAffine_ValuesMatchManualComputation()
    {
        var data = TestData.Uniform(54, 8, -2f, 2f);
        using var x = Tensor.FromArray(data, 2, 4);
        using var y = Functional.LayerNorm(x, [4], eps: 1e-5f);
        var expected = new float[8];
        for (var r = 0; r < 2; r++)
        {
            var row = data.Skip(r * 4).Take(4).Select(v => (double)v).ToArray();
            var mean = row.Average();
            var variance = row.Sum(v => (v - mean) * (v - mean)) / 4; // biased, as PyTorch
            for (var k = 0; k < 4; k++)
            {
                expected[(r * 4) + k] = (float)((row[k] - mean) / Math.Sqrt(variance + 1e-5));
            }
        }

        TensorAssert.Close(y.ToArray(), expected, 1e-5, 1e-5);
    }

    [Test]
    public void LayerNormModule_Call_GradientsWithRespectToParameters()
    {
        using var ln = new LayerNorm([2, 3]);
        using (Autograd.NoGrad())
        {
            ln.Weight!.CopyFrom(TestData.Uniform(55, 6, 0.5f, 1.5f));
            ln.Bias!.CopyFrom(TestData.Uniform(56, 6));
        }

        using var x = TestData.Tensor(57, [4, 2, 3], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => ln.Call(x), [x, ln.Weight!, ln.Bias!]);
    }

    [Test]
    public void LayerNorm_MismatchedShape_ThrowsWithShapes()
    {
        using var x = Tensor.Zeros(2, 3);
        using var w = Tensor.Ones(4);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.LayerNorm(x, [4]), Throws.ArgumentException.With.Message.Contains("[4]").And.Message.Contains("[2, 3]"));
            Assert.That(() => Functional.LayerNorm(x, [3], w), Throws.ArgumentException.With.Message.Contains("[3]").And.Message.Contains("[4]"));
        });
    }
}
