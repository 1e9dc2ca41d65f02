using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>
/// Parity of the activation functions of <see cref="Functional"/> (and softmax/log-softmax) with PyTorch, including the
/// values at and next to each kink, large magnitudes (±30, ±100) and softmax over logits far beyond exp's float32 range.
/// </summary>
/// <remarks>
/// Oracle for every golden value in this class: NN/Fixtures/make_fixtures.py run with PyTorch 1.13 (CPU, float32, seeded);
/// the fixture files record the exact torch version.
/// </remarks>
public class ActivationsPyTorchParityTests
{
    private static IEnumerable<TestCaseData> ElementwiseCases() => FixtureLoader.Cases("activations.json",
        "relu", "relu6", "leaky_relu", "elu", "sigmoid", "tanh", "hardswish", "hardsigmoid", "silu", "gelu", "softplus");

    private static IEnumerable<TestCaseData> SoftmaxCases() => FixtureLoader.Cases("activations.json", "softmax", "log_softmax");

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.{relu, relu6, leaky_relu, elu, hardswish, hardsigmoid, silu,
    // gelu, softplus}, torch.sigmoid and torch.tanh, forward and backward, on a [2, n] input: row 0 is the kink/large-value grid.
    [TestCaseSource(nameof(ElementwiseCases))]
    public void Activation_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var x = leaves["x"];
        var y = c.Op switch
        {
            "relu" => Functional.Relu(x),
            "relu6" => Functional.Relu6(x),
            "leaky_relu" => Functional.LeakyRelu(x, (float)c.Double("negative_slope")),
            "elu" => Functional.Elu(x, (float)c.Double("alpha")),
            "sigmoid" => Functional.Sigmoid(x),
            "tanh" => Functional.Tanh(x),
            "hardswish" => Functional.Hardswish(x),
            "hardsigmoid" => Functional.Hardsigmoid(x),
            "silu" => Functional.Silu(x),
            "gelu" => Functional.Gelu(x, c.Text("approximate") == "tanh" ? GeluApproximation.Tanh : GeluApproximation.None),
            "softplus" => Functional.Softplus(x, (float)c.Double("beta"), (float)c.Double("threshold")),
            var op => throw new InvalidDataException($"Unknown activation '{op}' in fixture {c.Name}."),
        };

        // Element-wise: no sum of terms, so the absolute part is not scaled by the largest output (|x| up to 100) and
        // a few float32 ulps (rtol 1e-5) plus 1e-6 absolute for results that cancel to near zero are allowed.
        ParityAssert.Close(y, c.Out, $"{c.Name}: output", atol: 1e-6, rtol: 1e-5, scaleAbsolute: false);
        ParityAssert.Gradients(c, y, leaves, atol: 1e-6, rtol: 1e-5, scaleAbsolute: false);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.softmax / log_softmax(x, dim), dims 0, 1, -1 of a [3, 4, 5]
    // input and dim -1 of logits up to ±3e4.
    [TestCaseSource(nameof(SoftmaxCases))]
    public void Softmax_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var leaves = c.Leaves("x");
        var dim = c.Int("dim");
        var y = c.Op == "softmax" ? Functional.Softmax(leaves["x"], dim) : Functional.LogSoftmax(leaves["x"], dim);
        Assert.That(y.ToArray(), Has.All.Not.NaN, $"{c.Name}: softmax must be computed stably");

        // log_softmax of logits of magnitude 3e4 is x − max − log Σ: float32 spacing at 3e4 is 2e-3, hence the
        // magnitude-scaled absolute bound (1e-5·max|expected|) rather than a fixed one.
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }
}
