using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>
/// Numerical gradient checks of every differentiable op in NN/Functional.*.cs, with respect to inputs and parameters.
/// This part covers activations, Linear and Dropout; the other parts follow the source files.
/// </summary>
public partial class FunctionalGradientTests
{
    // ---- activations (Functional.Activations.cs) -----------------------------------------------------------

    [Test]
    public void Relu_AwayFromZero_GradientMatchesNumerical()
    {
        using var x = TestData.AwayFromKinks(1, [4, 6], -3f, 3f, [0f], margin: 0.1f);
        GradientChecker.Check(() => Functional.Relu(x), [x]);
    }

    [Test]
    public void Relu6_AwayFromBothKinks_GradientMatchesNumerical()
    {
        using var x = TestData.AwayFromKinks(2, [4, 6], -2f, 8f, [0f, 6f], margin: 0.15f);
        GradientChecker.Check(() => Functional.Relu6(x), [x]);
    }

    [TestCase(0.01f)]
    [TestCase(0.2f)]
    public void LeakyRelu_AwayFromZero_GradientMatchesNumerical(float slope)
    {
        using var x = TestData.AwayFromKinks(3, [4, 6], -3f, 3f, [0f], margin: 0.1f);
        GradientChecker.Check(() => Functional.LeakyRelu(x, slope), [x], requireSignal: true);
    }

    [TestCase(1f)]
    [TestCase(0.5f)]
    public void Elu_AwayFromZero_GradientMatchesNumerical(float alpha)
    {
        using var x = TestData.AwayFromKinks(4, [4, 6], -3f, 3f, [0f], margin: 0.1f);
        GradientChecker.Check(() => Functional.Elu(x, alpha), [x]);
    }

    [Test]
    public void SigmoidTanhSilu_WideRange_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(5, [4, 6], -4f, 4f, requiresGrad: true);
        GradientChecker.Check(() => Functional.Sigmoid(x), [x]);
        GradientChecker.Check(() => Functional.Tanh(x), [x]);
        GradientChecker.Check(() => Functional.Silu(x), [x]);
    }

    [Test]
    public void HardswishHardsigmoid_AwayFromKinks_GradientsMatchNumerical()
    {
        // Both change form at ±3; values also cover the flat parts below -3 and (for hardsigmoid) above 3.
        using var x = TestData.AwayFromKinks(6, [5, 8], -5f, 5f, [-3f, 3f], margin: 0.15f);
        GradientChecker.Check(() => Functional.Hardswish(x), [x]);
        GradientChecker.Check(() => Functional.Hardsigmoid(x), [x]);
    }

    [TestCase(GeluApproximation.None)]
    [TestCase(GeluApproximation.Tanh)]
    public void Gelu_BothForms_GradientMatchesNumerical(GeluApproximation approximation)
    {
        // 40 elements: the SIMD body and the scalar tail of the kernels are both exercised.
        using var x = TestData.Tensor(7, [5, 8], -4f, 4f, requiresGrad: true);
        GradientChecker.Check(() => Functional.Gelu(x, approximation), [x]);
    }

    [TestCase(1f, 20f)]
    [TestCase(2f, 20f)]
    [TestCase(0.5f, 1f)]
    public void Softplus_AwayFromTheThreshold_GradientMatchesNumerical(float beta, float threshold)
    {
        // Stay away from the switch to the linear branch at beta·x = threshold, where the float forward jumps slightly.
        var switchPoint = threshold / beta;
        using var x = TestData.AwayFromKinks(8, [5, 8], -4f, 4f, [switchPoint], margin: 0.2f);
        GradientChecker.Check(() => Functional.Softplus(x, beta, threshold), [x]);
    }

    [Test]
    public void SoftmaxLogSoftmax_FunctionalForm_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(9, [2, 3, 4], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => Functional.Softmax(x, 1), [x]);
        GradientChecker.Check(() => Functional.LogSoftmax(x, -1), [x]);
    }

    // ---- Linear (Functional.Linear.cs) ---------------------------------------------------------------------

    [TestCase(new[] { 4, 3 }, true)]
    [TestCase(new[] { 4, 3 }, false)]
    [TestCase(new[] { 2, 3, 3 }, true)]
    [TestCase(new[] { 3 }, true)]
    [TestCase(new[] { 2, 1, 2, 3 }, false)]
    public void Linear_VariousInputRanks_GradientsWithRespectToInputWeightAndBias(int[] inputShape, bool withBias)
    {
        using var x = TestData.Tensor(10, inputShape, requiresGrad: true);
        using var w = TestData.Tensor(11, [5, 3], requiresGrad: true);
        using var b = TestData.Tensor(12, [5], requiresGrad: true);
        if (withBias)
        {
            GradientChecker.Check(() => Functional.Linear(x, w, b), [x, w, b]);
        }
        else
        {
            GradientChecker.Check(() => Functional.Linear(x, w), [x, w]);
        }
    }

    [Test]
    public void Linear_TransposedWeightView_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(13, [4, 3], requiresGrad: true);
        using var wt = TestData.Tensor(14, [3, 5], requiresGrad: true);
        GradientChecker.Check(() => Functional.Linear(x.T.Contiguous().T, wt.T), [x, wt]);
    }

    [Test]
    public void Linear_ShapeMismatch_ThrowsWithShapes()
    {
        using var x = Tensor.Zeros(2, 4);
        using var w = Tensor.Zeros(5, 3);
        using var b = Tensor.Zeros(4);
        using var x3 = Tensor.Zeros(2, 3);
        Assert.Multiple(() =>
        {
            Assert.That(() => Functional.Linear(x, w), Throws.ArgumentException.With.Message.Contains("[2, 4]").And.Message.Contains("[5, 3]"));
            Assert.That(() => Functional.Linear(x3, w, b), Throws.ArgumentException.With.Message.Contains("[4]"));
        });
    }

    [Test]
    public void LinearModule_Call_GradientsWithRespectToParameters()
    {
        using var layer = new Linear(3, 4, generator: new Generator(1));
        using var x = TestData.Tensor(15, [2, 3], requiresGrad: true);
        GradientChecker.Check(() => layer.Call(x), [x, layer.Weight, layer.Bias!]);
    }

    // ---- Dropout (Functional.Normalization.cs) -------------------------------------------------------------

    [Test]
    public void Dropout_FixedGenerator_GradientEqualsTheMaskScaling()
    {
        using var x = TestData.AwayFromKinks(16, [6, 7], -2f, 2f, [0f], margin: 0.1f);
        using var y = Functional.Dropout(x, 0.4f, training: true, generator: new Generator(77));
        using var g = TestData.Tensor(17, [6, 7]);
        y.Backward(g);
        var xv = x.ToArray();
        var yv = y.ToArray();
        var gv = g.ToArray();
        var grad = x.Grad!.ToArray();
        var kept = 0;
        for (var i = 0; i < xv.Length; i++)
        {
            var mask = yv[i] / xv[i]; // 0 or 1/(1 - p)
            Assert.That(mask, Is.EqualTo(0f).Or.EqualTo(1f / 0.6f).Within(1e-5f), $"element {i}");
            Assert.That(grad[i], Is.EqualTo(gv[i] * mask).Within(1e-5f), $"element {i}");
            kept += mask == 0f ? 0 : 1;
        }

        Assert.That(kept, Is.InRange(10, 38), "both kept and dropped elements occur");
    }

    [Test]
    public void Dropout_ReseededGenerator_GradientMatchesNumerical()
    {
        using var x = TestData.Tensor(18, [5, 5], requiresGrad: true);
        GradientChecker.Check(() => Functional.Dropout(x, 0.3f, training: true, generator: new Generator(5)), [x]);
    }

    [Test]
    public void Dropout_EvaluationOrZeroOrOneProbability_BehavesAsDocumented()
    {
        using var x = TestData.Tensor(19, [10], requiresGrad: true);
        using var eval = Functional.Dropout(x, 0.5f, training: false);
        using var none = Functional.Dropout(x, 0f, training: true);
        using var all = Functional.Dropout(x, 1f, training: true, generator: new Generator(1));
        Assert.Multiple(() =>
        {
            Assert.That(eval.ToArray(), Is.EqualTo(x.ToArray()));
            Assert.That(eval, Is.Not.SameAs(x));
            Assert.That(none.ToArray(), Is.EqualTo(x.ToArray()));
            Assert.That(all.ToArray(), Is.All.EqualTo(0f));
            Assert.That(() => Functional.Dropout(x, 1.5f), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
        GradientChecker.Check(() => Functional.Dropout(x, 0.5f, training: false), [x]);
    }
}
