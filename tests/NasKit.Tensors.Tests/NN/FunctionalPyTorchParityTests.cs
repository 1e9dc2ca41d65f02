using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>
/// Parity of <see cref="Functional"/>'s convolution, pooling, normalisation, padding and one-hot ops with PyTorch:
/// forward outputs and the gradients of a fixed weighted sum of the output.
/// </summary>
/// <remarks>
/// Oracle for every golden value in this class: NN/Fixtures/make_fixtures.py run with PyTorch 1.13 (CPU, float32, seeded);
/// the fixture files record the exact torch version. Unless a test says otherwise the tolerance is the float32 default of
/// <see cref="ParityAssert"/>: |Δ| ≤ 1e-5·max|expected| + 1e-5·|expected|.
/// </remarks>
public class FunctionalPyTorchParityTests
{
    private static IEnumerable<TestCaseData> Conv2dCases() => FixtureLoader.Cases("conv2d.json", "conv2d");

    private static IEnumerable<TestCaseData> MaxPool2dCases() => FixtureLoader.Cases("pooling.json", "max_pool2d");

    private static IEnumerable<TestCaseData> AvgPool2dCases() => FixtureLoader.Cases("pooling.json", "avg_pool2d");

    private static IEnumerable<TestCaseData> AdaptiveAvgPool2dCases() => FixtureLoader.Cases("pooling.json", "adaptive_avg_pool2d");

    private static IEnumerable<TestCaseData> AdaptiveMaxPool2dCases() => FixtureLoader.Cases("pooling.json", "adaptive_max_pool2d");

    private static IEnumerable<TestCaseData> BatchNormCases() => FixtureLoader.Cases("normalization.json", "batch_norm");

    private static IEnumerable<TestCaseData> LayerNormCases() => FixtureLoader.Cases("normalization.json", "layer_norm");

    private static IEnumerable<TestCaseData> PadCases() => FixtureLoader.Cases("misc.json", "pad");

    private static IEnumerable<TestCaseData> OneHotCases() => FixtureLoader.Cases("misc.json", "one_hot");

    [TestCase("conv2d.json")]
    [TestCase("pooling.json")]
    [TestCase("normalization.json")]
    [TestCase("activations.json")]
    [TestCase("losses.json")]
    [TestCase("misc.json")]
    [TestCase("init.json")]
    public void Fixture_EveryFile_WasWrittenByTheScriptWithPyTorch113(string fileName)
    {
        var file = FixtureLoader.Load(fileName);
        Assert.Multiple(() =>
        {
            Assert.That(file.Generator, Is.EqualTo("make_fixtures.py"), "generator");
            Assert.That(file.TorchVersion, Does.StartWith("1.13"), "oracle version");
            Assert.That(file.Cases.Select(c => c.Name), Is.Unique, "case names");
        });
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.conv2d(x, weight, bias, stride, padding, dilation, groups).
    [TestCaseSource(nameof(Conv2dCases))]
    public void Conv2d_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x", "weight", "bias");
        var bias = leaves.GetValueOrDefault("bias");
        var (stride, padding, dilation) = (c.Pair("stride"), c.Pair("padding"), c.Pair("dilation"));
        var groups = c.Int("groups");
        var square = stride.H == stride.W && padding.H == padding.W && dilation.H == dilation.W;

        // Square hyper-parameters go through the int overload, the per-axis case through the tuple overload.
        var y = square
            ? Functional.Conv2d(leaves["x"], leaves["weight"], bias, stride.H, padding.H, dilation.H, groups)
            : Functional.Conv2d(leaves["x"], leaves["weight"], bias, stride, padding, dilation, groups);

        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode).
    [TestCaseSource(nameof(MaxPool2dCases))]
    public void MaxPool2d_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var y = Functional.MaxPool2d(leaves["x"], c.Int("kernel"), c.Int("stride"), c.Int("padding"), c.Int("dilation"), c.Bool("ceil_mode"));

        // Max pooling selects values and routes gradients, so both must match exactly.
        ParityAssert.Close(y, c.Out, $"{c.Name}: output", atol: 0, rtol: 0);
        ParityAssert.Gradients(c, y, leaves, atol: 0, rtol: 0);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override).
    [TestCaseSource(nameof(AvgPool2dCases))]
    public void AvgPool2d_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var y = Functional.AvgPool2d(leaves["x"], c.Int("kernel"), c.Int("stride"), c.Int("padding"), c.Bool("ceil_mode"), c.Bool("count_include_pad"), c.OptionalInt("divisor_override"));
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.adaptive_avg_pool2d(x, output_size).
    [TestCaseSource(nameof(AdaptiveAvgPool2dCases))]
    public void AdaptiveAvgPool2d_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var y = Functional.AdaptiveAvgPool2d(leaves["x"], c.Pair("output_size"));
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.adaptive_max_pool2d(x, output_size).
    [TestCaseSource(nameof(AdaptiveMaxPool2dCases))]
    public void AdaptiveMaxPool2d_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var y = Functional.AdaptiveMaxPool2d(leaves["x"], c.Pair("output_size"));

        // Selection and gradient routing are exact (overlapping bins accumulate at most a few exact float sums).
        ParityAssert.Close(y, c.Out, $"{c.Name}: output", atol: 0, rtol: 0);
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps);
    // running_mean/running_var are the buffers after the call (updated in place in training mode).
    [TestCaseSource(nameof(BatchNormCases))]
    public void BatchNorm_PyTorchCase_MatchesOutputRunningStatsAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x", "weight", "bias");
        var runningMean = c.Has("running_mean") ? c.Inputs["running_mean"].ToTensor() : null;
        var runningVar = c.Has("running_var") ? c.Inputs["running_var"].ToTensor() : null;
        var y = Functional.BatchNorm(leaves["x"], runningMean, runningVar, leaves.GetValueOrDefault("weight"), leaves.GetValueOrDefault("bias"),
            c.Bool("training"), (float)c.Double("momentum"), (float)c.Double("eps"));

        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        if (runningMean is not null)
        {
            ParityAssert.Close(runningMean, c.Outputs["running_mean"], $"{c.Name}: running_mean");
            ParityAssert.Close(runningVar, c.Outputs["running_var"], $"{c.Name}: running_var");
        }

        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.layer_norm(x, normalized_shape, weight, bias, eps).
    [TestCaseSource(nameof(LayerNormCases))]
    public void LayerNorm_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x", "weight", "bias");
        var y = Functional.LayerNorm(leaves["x"], c.Ints("normalized_shape"), leaves.GetValueOrDefault("weight"), leaves.GetValueOrDefault("bias"), (float)c.Double("eps"));
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.pad(x, pads, mode, value).
    [TestCaseSource(nameof(PadCases))]
    public void Pad_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var mode = c.Text("mode") switch
        {
            "constant" => PaddingMode.Constant,
            "reflect" => PaddingMode.Reflect,
            "replicate" => PaddingMode.Replicate,
            "circular" => PaddingMode.Circular,
            var m => throw new InvalidDataException($"Unknown padding mode '{m}' in fixture {c.Name}."),
        };
        var y = Functional.Pad(leaves["x"], c.Ints("pads"), mode, (float)c.Double("value"));

        // Padding copies values and sums gradients of at most a few border positions: exact up to one rounding.
        ParityAssert.Close(y, c.Out, $"{c.Name}: output", atol: 0, rtol: 0);
        ParityAssert.Gradients(c, y, leaves, atol: 1e-6, rtol: 1e-6);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.one_hot(indices, num_classes).
    [TestCaseSource(nameof(OneHotCases))]
    public void OneHot_PyTorchCase_MatchesExactly(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var indices = c.Inputs["indices"].ToTensor();
        var fromTensor = Functional.OneHot(indices, c.Int("num_classes"));
        using var fromSpan = Functional.OneHot(c.Inputs["indices"].ToIndices(), c.Int("num_classes"));
        ParityAssert.Close(fromTensor, c.Out, $"{c.Name}: tensor overload", atol: 0, rtol: 0);

        // The span overload flattens the indices: [k, numClasses].
        Assert.That(fromSpan.ToArray(), Is.EqualTo(c.Out.Values), $"{c.Name}: span overload");
    }
}
