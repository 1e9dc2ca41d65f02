using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.NN;

public sealed class Conv2dTests
{
    // Batch, channels, kernel, stride, padding and groups chosen so each path runs with its fused ReLU: Winograd F(2×2) forward,
    // input and weight gradients (16 channels); F(4×4) forward and input gradient with the F(2×2) weight gradient (32 → 32);
    // F(4×4) for all three (32 → 64); the direct forward at batch 1; stride 2 (direct forward, rectified copy for the weight
    // gradient); pointwise (GEMM); depthwise. Rows of 40 columns take the Winograd kernels' full-vector stores, 11 their masked ones;
    // 16 × 16 and 8 × 8 planes take F(4×4)'s whole-vector output scatter (two tile rows, or two images with an odd one out, per vector).
    [TestCase(3, 16, 16, 3, 1, 1, 1, 13, 11)]
    [TestCase(2, 32, 32, 3, 1, 1, 1, 16, 16)]
    [TestCase(3, 32, 32, 3, 1, 1, 1, 8, 8)]
    [TestCase(2, 16, 16, 3, 1, 1, 1, 6, 40)]
    [TestCase(2, 32, 32, 3, 1, 1, 1, 13, 11)]
    [TestCase(2, 32, 32, 3, 1, 1, 1, 5, 40)]
    [TestCase(2, 32, 64, 3, 1, 1, 1, 13, 11)]
    [TestCase(1, 16, 16, 3, 1, 1, 1, 13, 11)]
    [TestCase(2, 8, 12, 3, 2, 1, 1, 13, 11)]
    [TestCase(2, 16, 16, 1, 1, 0, 1, 13, 11)]
    [TestCase(2, 8, 8, 3, 1, 1, 8, 13, 11)]
    public void CallWithInputRelu_Training_MatchesReluThenCallIncludingGradients(int batch, int cin, int cout, int kernel, int stride, int padding, int groups, int height, int width)
    {
        using var conv = new Conv2d(cin, cout, kernel, stride, padding, groups: groups, bias: true, generator: new Generator(31));
        using var x = Tensor.Normal([batch, cin, height, width], 0f, 1f, new Generator(7));
        var values = x.ToArray();
        for (var i = 0; i < values.Length; i += 17)
        {
            values[i] = 0f; // the ReLU's kink: no gradient passes there on either path
        }

        x.CopyFrom(values);
        using var upstream = Tensor.Normal([batch, cout, ((height + (2 * padding) - kernel) / stride) + 1, ((width + (2 * padding) - kernel) / stride) + 1], 0f, 1f, new Generator(8));

        var expected = Run(conv, x, upstream, fused: false);
        var actual = Run(conv, x, upstream, fused: true);

        Assert.Multiple(() =>
        {
            AssertClose(actual.Output, expected.Output, "output");
            AssertClose(actual.InputGrad, expected.InputGrad, "input gradient");
            AssertClose(actual.WeightGrad, expected.WeightGrad, "weight gradient");
            AssertClose(actual.BiasGrad, expected.BiasGrad, "bias gradient");
            Assert.That(actual.InputGrad.Where((_, i) => values[i] <= 0f), Is.All.EqualTo(0f), "no gradient where the input is not positive");
        });
    }

    [Test]
    public void CallWithInputRelu_NonFiniteInput_PropagatesAsReluThenCall()
    {
        using var conv = new Conv2d(16, 16, 3, padding: 1, bias: false, generator: new Generator(3));
        using var x = Tensor.Normal([2, 16, 8, 8], 0f, 1f, new Generator(4));
        var values = x.ToArray();
        values[5] = float.NaN;
        values[300] = float.NegativeInfinity;
        x.CopyFrom(values);
        using var upstream = Tensor.Ones(2, 16, 8, 8);

        var expected = Run(conv, x, upstream, fused: false);
        var actual = Run(conv, x, upstream, fused: true);

        Assert.Multiple(() =>
        {
            Assert.That(actual.Output.Select(float.IsNaN), Is.EqualTo(expected.Output.Select(float.IsNaN)), "NaN reaches the same outputs");
            Assert.That(actual.Output.Count(float.IsNaN), Is.GreaterThan(0), "the NaN input reaches some outputs");
            Assert.That(actual.Output.Where(float.IsNegativeInfinity), Is.Empty, "−∞ is rectified to zero");
            Assert.That(actual.InputGrad[300], Is.EqualTo(0f), "no gradient reaches −∞");
            Assert.That(actual.WeightGrad.Select(float.IsNaN), Is.EqualTo(expected.WeightGrad.Select(float.IsNaN)), "NaN reaches the same weight gradients");
        });
    }

    [Test]
    public void CallWithInputRelu_WithForwardPreHook_HookSeesTheRectifiedInput()
    {
        using var conv = new Conv2d(2, 3, 3, padding: 1, generator: new Generator(5));
        using var x = Tensor.Normal([1, 2, 5, 5], 0f, 1f, new Generator(6));
        float seenMinimum = float.NaN;
        using var handle = conv.RegisterForwardPreHook((_, input) =>
        {
            seenMinimum = input.ToArray().Min();
            return input;
        });

        using var y = conv.CallWithInputRelu(x);
        using var r = Functional.Relu(x);
        using var plain = Functional.Conv2d(r, conv.Weight, conv.Bias, padding: 1);

        Assert.Multiple(() =>
        {
            Assert.That(x.ToArray().Min(), Is.LessThan(0f), "the input has negative values");
            Assert.That(seenMinimum, Is.EqualTo(0f), "the hook sees max(x, 0)");
            Assert.That(y.ToArray(), Is.EqualTo(plain.ToArray()).Within(1e-5f));
        });
    }

    [Test]
    public void CallWithInputRelu_NullInput_Throws()
    {
        using var conv = new Conv2d(2, 3, 3);
        Assert.That(() => conv.CallWithInputRelu(null!), Throws.ArgumentNullException);
    }

    private static (float[] Output, float[] InputGrad, float[] WeightGrad, float[] BiasGrad) Run(Conv2d conv, Tensor x, Tensor upstream, bool fused)
    {
        conv.ZeroGrad();
        using var input = x.Clone().WithRequiresGrad();
        float[] output;
        if (fused)
        {
            using var y = conv.CallWithInputRelu(input);
            output = y.ToArray();
            y.Backward(upstream);
        }
        else
        {
            using var r = Functional.Relu(input);
            using var y = conv.Call(r);
            output = y.ToArray();
            y.Backward(upstream);
        }

        return (output, input.Grad!.ToArray(), conv.Weight.Grad!.ToArray(), conv.Bias?.Grad?.ToArray() ?? []);
    }

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        var scale = expected.Where(float.IsFinite).Select(MathF.Abs).DefaultIfEmpty(0f).Max();
        var worst = actual.Zip(expected).Where(p => float.IsFinite(p.First) && float.IsFinite(p.Second)).Select(p => MathF.Abs(p.First - p.Second)).DefaultIfEmpty(0f).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5f * Math.Max(scale, 1f)), $"{what}: largest difference {worst} (scale {scale})");
    }
}
