using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>
/// Parity of the <c>nn</c> modules with PyTorch: stateful <see cref="BatchNorm1d"/>/<see cref="BatchNorm2d"/> over several
/// training steps and evaluation (outputs, gradients, running statistics, batch counter), and the parameterised or configured
/// modules (<see cref="Conv2d"/>, <see cref="Linear"/>, <see cref="LayerNorm"/>, the pooling modules) loaded with PyTorch's values.
/// </summary>
/// <remarks>
/// Oracle for every golden value in this class: NN/Fixtures/make_fixtures.py run with PyTorch 1.13 (CPU, float32, seeded);
/// the fixture files record the exact torch version.
/// </remarks>
public class ModulesPyTorchParityTests
{
    private static IEnumerable<TestCaseData> BatchNormModuleCases() => FixtureLoader.Cases("normalization.json", "BatchNorm2d", "BatchNorm1d");

    private static IEnumerable<TestCaseData> Conv2dCases() => FixtureLoader.Cases("conv2d.json", "conv2d");

    private static IEnumerable<TestCaseData> LinearCases() => FixtureLoader.Cases("misc.json", "linear");

    private static IEnumerable<TestCaseData> LayerNormCases() => FixtureLoader.Cases("normalization.json", "layer_norm");

    private static IEnumerable<TestCaseData> PoolCases() =>
        FixtureLoader.Cases("pooling.json", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d");

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.BatchNorm2d / BatchNorm1d(C, eps, momentum, affine, track_running_stats)
    // called on successive batches in train()/eval() mode; after every call the fixture holds the output, the gradients of
    // Σ w·out, running_mean, running_var and num_batches_tracked. momentum=None is PyTorch's cumulative moving average.
    [TestCaseSource(nameof(BatchNormModuleCases))]
    public void BatchNorm_PyTorchModuleSteps_MatchOutputsGradientsAndBuffers(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var features = c.Int("num_features");
        var (eps, momentum, affine, track) = (c.Double("eps"), c.OptionalDouble("momentum"), c.Bool("affine"), c.Bool("track_running_stats"));
        using BatchNorm bn = c.Op == "BatchNorm2d"
            ? new BatchNorm2d(features, eps, momentum, affine, track)
            : new BatchNorm1d(features, eps, momentum, affine, track);
        if (affine)
        {
            using (Autograd.NoGrad())
            {
                bn.Weight!.CopyFrom(c.Inputs["weight"].Values);
                bn.Bias!.CopyFrom(c.Inputs["bias"].Values);
            }
        }

        Assert.That(c.Steps, Is.Not.Null.And.Not.Empty, $"{c.Name}: fixture has no steps");
        foreach (var step in c.Steps!)
        {
            bn.Train(step.Text("mode") == "train");
            var leaves = step.Leaves("x");
            var y = bn.Call(leaves["x"]);
            if (affine)
            {
                leaves["weight"] = bn.Weight!;
                leaves["bias"] = bn.Bias!;
            }

            ParityAssert.Close(y, step.Out, $"{step.Name}: output");
            ParityAssert.Gradients(step, y, leaves);
            if (track)
            {
                ParityAssert.Close(bn.RunningMean, step.Outputs["running_mean"], $"{step.Name}: running_mean");
                ParityAssert.Close(bn.RunningVar, step.Outputs["running_var"], $"{step.Name}: running_var");
                ParityAssert.Close(bn.NumBatchesTracked, step.Outputs["num_batches_tracked"], $"{step.Name}: num_batches_tracked", atol: 0, rtol: 0);
            }
            else
            {
                Assert.That(bn.RunningMean, Is.Null, $"{step.Name}: track_running_stats=False keeps no running mean");
            }
        }
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.conv2d with the same weights the module is loaded with.
    [TestCaseSource(nameof(Conv2dCases))]
    public void Conv2d_ModuleLoadedWithPyTorchWeights_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var w = c.Inputs["weight"].Shape;
        var groups = c.Int("groups");
        using var conv = new Conv2d(w[1] * groups, w[0], (w[2], w[3]), c.Pair("stride"), c.Pair("padding"), c.Pair("dilation"), groups, bias: c.Has("bias"));
        using (Autograd.NoGrad())
        {
            conv.Weight.CopyFrom(c.Inputs["weight"].Values);
            conv.Bias?.CopyFrom(c.Inputs["bias"].Values);
        }

        var leaves = c.Leaves("x");
        leaves["weight"] = conv.Weight;
        if (conv.Bias is not null)
        {
            leaves["bias"] = conv.Bias;
        }

        var y = conv.Call(leaves["x"]);
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.linear with the same weights the module is loaded with.
    [TestCaseSource(nameof(LinearCases))]
    public void Linear_ModuleLoadedWithPyTorchWeights_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var w = c.Inputs["weight"].Shape;
        using var linear = new Linear(w[1], w[0], bias: c.Has("bias"));
        using (Autograd.NoGrad())
        {
            linear.Weight.CopyFrom(c.Inputs["weight"].Values);
            linear.Bias?.CopyFrom(c.Inputs["bias"].Values);
        }

        var leaves = c.Leaves("x");
        leaves["weight"] = linear.Weight;
        if (linear.Bias is not null)
        {
            leaves["bias"] = linear.Bias;
        }

        var y = linear.Call(leaves["x"]);
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.layer_norm with the weights the module is loaded with
    // (nn.LayerNorm(normalized_shape, elementwise_affine) computes exactly that).
    [TestCaseSource(nameof(LayerNormCases))]
    public void LayerNorm_ModuleLoadedWithPyTorchWeights_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        var affine = c.Has("weight");
        using var norm = new LayerNorm(c.Ints("normalized_shape"), c.Double("eps"), elementwiseAffine: affine);
        var leaves = c.Leaves("x");
        if (affine)
        {
            using (Autograd.NoGrad())
            {
                norm.Weight!.CopyFrom(c.Inputs["weight"].Values);
                norm.Bias!.CopyFrom(c.Inputs["bias"].Values);
            }

            leaves["weight"] = norm.Weight!;
            leaves["bias"] = norm.Bias!;
        }

        var y = norm.Call(leaves["x"]);
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }

    // Oracle: make_fixtures.py, PyTorch 1.13 torch.nn.functional.{max,avg,adaptive_avg,adaptive_max}_pool2d, which the
    // nn.MaxPool2d/AvgPool2d/AdaptiveAvgPool2d/AdaptiveMaxPool2d modules call with their stored configuration.
    [TestCaseSource(nameof(PoolCases))]
    public void PoolModule_PyTorchCase_MatchesOutputAndGradients(FixtureCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var scope = TensorScope.Begin();
        using Module<Tensor, Tensor> pool = c.Op switch
        {
            "max_pool2d" => new MaxPool2d(c.Int("kernel"), c.Int("stride"), c.Int("padding"), c.Int("dilation"), c.Bool("ceil_mode")),
            "avg_pool2d" => new AvgPool2d(c.Int("kernel"), c.Int("stride"), c.Int("padding"), c.Bool("ceil_mode"), c.Bool("count_include_pad"), c.OptionalInt("divisor_override")),
            "adaptive_avg_pool2d" => new AdaptiveAvgPool2d(c.Pair("output_size")),
            _ => new AdaptiveMaxPool2d(c.Pair("output_size")),
        };
        var leaves = c.Leaves("x");
        var y = pool.Call(leaves["x"]);
        ParityAssert.Close(y, c.Out, $"{c.Name}: output");
        ParityAssert.Gradients(c, y, leaves);
    }
}
