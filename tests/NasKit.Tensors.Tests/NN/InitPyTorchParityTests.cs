using System.Text.Json;
using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>
/// Parity of the default parameter initialisation of <see cref="Conv2d"/>, <see cref="Linear"/> and <see cref="BatchNorm2d"/>
/// with PyTorch. Weights and biases are random, so the weight/bias tests are statistical: same fans, same bound 1/√fan_in
/// (Kaiming-uniform with a = √5 for weights, U(±1/√fan_in) for biases) and the same empirical spread over large layers.
/// </summary>
/// <remarks>
/// Oracle for every golden value in this class: NN/Fixtures/make_fixtures.py run with PyTorch 1.13 (seeded), which records
/// PyTorch's fans, bounds and the empirical max|w|, mean and std of freshly constructed layers of the same shapes.
/// </remarks>
public class InitPyTorchParityTests
{
    private const int Seed = 1234;

    private static IEnumerable<TestCaseData> DefaultInitCases() => FixtureLoader.Cases("init.json", "default_init");

    // Oracle: make_fixtures.py, PyTorch 1.13 nn.Conv2d / nn.Linear default reset_parameters(): fans, bounds and statistics.
    [TestCaseSource(nameof(DefaultInitCases))]
    public void DefaultInit_LargeLayer_MatchesPyTorchBoundsAndSpread(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        using Module layer = c.Text("layer") == "conv2d"
            ? new Conv2d(c.Int("in"), c.Int("out"), c.Int("kernel"), groups: c.Int("groups"), generator: new Generator(Seed))
            : new Linear(c.Int("in"), c.Int("out"), generator: new Generator(Seed));
        var (weight, bias) = layer switch
        {
            Conv2d conv => ((Tensor)conv.Weight, (Tensor?)conv.Bias),
            Linear linear => (linear.Weight, linear.Bias),
            _ => throw new InvalidOperationException("unreachable"),
        };

        var (fanIn, fanOut) = Init.CalculateFanInAndFanOut(weight);
        Assert.Multiple(() =>
        {
            Assert.That(fanIn, Is.EqualTo(c.Int("fan_in")), "fan_in");
            Assert.That(fanOut, Is.EqualTo(c.Int("fan_out")), "fan_out");
            AssertUniformLike(weight, c.Object("weight"), c.Double("weight_bound"), "weight");
            AssertUniformLike(bias!, c.Object("bias"), c.Double("bias_bound"), "bias");
        });
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 nn.BatchNorm2d(6) state after construction.
    [Test]
    public void DefaultInit_BatchNorm2d_MatchesPyTorchState()
    {
        var c = FixtureLoader.Case("init.json", "init_batchnorm2d_6");
        using var bn = new BatchNorm2d(c.Int("num_features"));
        Assert.Multiple(() =>
        {
            ParityAssert.Close(bn.Weight, c.Outputs["weight"], "weight", atol: 0, rtol: 0);
            ParityAssert.Close(bn.Bias, c.Outputs["bias"], "bias", atol: 0, rtol: 0);
            ParityAssert.Close(bn.RunningMean, c.Outputs["running_mean"], "running_mean", atol: 0, rtol: 0);
            ParityAssert.Close(bn.RunningVar, c.Outputs["running_var"], "running_var", atol: 0, rtol: 0);
            ParityAssert.Close(bn.NumBatchesTracked, c.Outputs["num_batches_tracked"], "num_batches_tracked", atol: 0, rtol: 0);
        });
    }

    /// <summary>
    /// Checks that <paramref name="t"/> looks like n draws of U(−b, b), as PyTorch's values do: all inside the bound, the largest
    /// close to it, mean ≈ 0 and std ≈ PyTorch's empirical std. Tolerances are derived from n so that they are ~6 standard
    /// errors (never flaky at a fixed seed, yet a wrong fan or gain, which changes the spread by ≥ √2 for these shapes, fails).
    /// </summary>
    private static void AssertUniformLike(Tensor t, JsonElement pytorch, double bound, string what)
    {
        var values = t.ToArray().Select(v => (double)v).ToArray();
        var n = values.Length;
        Assert.That(t.Shape, Is.EqualTo(pytorch.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray()), $"{what}: shape");
        var maxAbs = values.Max(Math.Abs);
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));

        // P(max|x| < f·b) = fⁿ for n uniform draws; f = 1e-6^(1/n) makes a smaller maximum a one-in-a-million event.
        var lowerFraction = Math.Exp(Math.Log(1e-6) / n);

        // The sample std of U(−b, b) has relative standard error √0.8/(2√n); NasKit and PyTorch are independent samples (√2).
        var stdTolerance = 6 * Math.Sqrt(2) * Math.Sqrt(0.8) / (2 * Math.Sqrt(n)) * pytorch.GetProperty("std").GetDouble();
        var meanTolerance = 6 * (bound / Math.Sqrt(3)) / Math.Sqrt(n);

        Assert.That(maxAbs, Is.LessThanOrEqualTo(bound * (1 + 1e-6)), $"{what}: max|value| must not exceed PyTorch's bound {bound}");
        Assert.That(maxAbs, Is.GreaterThanOrEqualTo(bound * lowerFraction), $"{what}: max|value| of {n} draws should reach close to the bound {bound}");
        Assert.That(std, Is.EqualTo(pytorch.GetProperty("std").GetDouble()).Within(stdTolerance), $"{what}: empirical std vs PyTorch's");
        Assert.That(mean, Is.EqualTo(0.0).Within(meanTolerance), $"{what}: empirical mean");
    }
}
