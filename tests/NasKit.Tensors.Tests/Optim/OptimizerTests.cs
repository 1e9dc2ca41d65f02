using System.Text.Json;
using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;

namespace NasKit.Tensors.Tests.Optim;

public class OptimizerTests
{
    // Oracle: tests/NasKit.Tensors.Tests/Optim/Fixtures/make_optim_fixtures.py, PyTorch 1.13 torch.optim on
    // loss = sum((x @ W.T + b - y)^2), six steps, parameters recorded after every step.
    [TestCase("sgd_plain")]
    [TestCase("sgd_momentum")]
    [TestCase("sgd_momentum_dampening_wd")]
    [TestCase("sgd_nesterov_wd")]
    [TestCase("sgd_maximize")]
    [TestCase("adam_default")]
    [TestCase("adam_wd_amsgrad")]
    [TestCase("adamw_default_wd")]
    [TestCase("adamw_custom")]
    public void Step_SixSteps_MatchesPyTorchTrajectory(string name)
    {
        var root = OptimFixture.Root;
        var config = root.GetProperty("optimizers").GetProperty(name);
        using var w = new Parameter(Tensor.FromArray(OptimFixture.Floats(root.GetProperty("W0")), 3, 4));
        using var b = new Parameter(Tensor.FromArray(OptimFixture.Floats(root.GetProperty("b0")), 3));
        using var x = Tensor.FromArray(OptimFixture.Floats(root.GetProperty("X")), 5, 4);
        using var y = Tensor.FromArray(OptimFixture.Floats(root.GetProperty("Y")), 5, 3);
        using var optimizer = Create(config.GetProperty("kind").GetString()!, config.GetProperty("kwargs"), [w, b]);

        var step = 0;
        foreach (var expected in config.GetProperty("trajectory").EnumerateArray())
        {
            using (var scope = TensorScope.Begin())
            {
                optimizer.ZeroGrad();
                var loss = Functional.Linear(x, w, b).Sub(y).Square().Sum();
                loss.Backward();
                optimizer.Step();
            }

            step++;
            Assert.Multiple(() =>
            {
                Assert.That(w.ToArray(), Is.EqualTo(OptimFixture.Floats(expected.GetProperty("W"))).Within(2e-5), $"W after step {step}");
                Assert.That(b.ToArray(), Is.EqualTo(OptimFixture.Floats(expected.GetProperty("b"))).Within(2e-5), $"b after step {step}");
            });
        }

        Assert.That(optimizer.StepCount, Is.EqualTo(6));
    }

    [Test]
    public void Step_ParameterWithoutGradient_IsLeftUnchanged()
    {
        using var p = new Parameter(Tensor.FromArray([1f, 2f]));
        using var q = new Parameter(Tensor.FromArray([3f]));
        using var optimizer = new Sgd([p, q], new SgdOptions { LearningRate = 0.5, Momentum = 0.9 });
        using (TensorScope.Begin())
        {
            p.Mul(2f).Sum().Backward();
        }

        optimizer.Step();
        Assert.Multiple(() =>
        {
            Assert.That(p.ToArray(), Is.EqualTo(new[] { 0f, 1f }));
            Assert.That(q.ToArray(), Is.EqualTo(new[] { 3f }));
        });
    }

    [Test]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        using var p = new Parameter(Tensor.Zeros(2));
        var ex = Assert.Throws<ArgumentException>(() => _ = new Sgd([p], new SgdOptions { LearningRate = -1, Nesterov = true, Dampening = 2 }));
        Assert.That(ex!.Message, Does.Contain("LearningRate=-1").And.Contain("Dampening=2").And.Contain("Nesterov"));
    }

    [Test]
    public void Constructor_ParameterInTwoGroups_Throws()
    {
        using var p = new Parameter(Tensor.Zeros(2));
        Assert.Throws<ArgumentException>(() => _ = new Sgd(
        [
            new ParameterGroup<SgdOptions>([p], new SgdOptions()),
            new ParameterGroup<SgdOptions>([p], new SgdOptions()),
        ]));
    }

    [Test]
    public void ParameterGroups_DifferentLearningRates_EachGroupUsesItsOwn()
    {
        using var p = new Parameter(Tensor.FromArray([1f]));
        using var q = new Parameter(Tensor.FromArray([1f]));
        var shared = new SgdOptions { LearningRate = 0.1 };
        using var optimizer = new Sgd(
        [
            new ParameterGroup<SgdOptions>([p], shared),
            new ParameterGroup<SgdOptions>([q], new SgdOptions { LearningRate = 0.5 }),
        ]);
        shared.LearningRate = 99; // groups own copies: changing the caller's object must not matter
        using (TensorScope.Begin())
        {
            p.Add(q).Sum().Backward();
        }

        optimizer.Step();
        Assert.Multiple(() =>
        {
            Assert.That(p.Item(), Is.EqualTo(0.9f).Within(1e-7));
            Assert.That(q.Item(), Is.EqualTo(0.5f).Within(1e-7));
        });
    }

    [Test]
    public void LoadStateDict_AfterSaving_ResumesIdentically()
    {
        // Two runs of 6 Adam steps: one straight through, one interrupted after 3 steps and resumed in a fresh optimizer.
        var straight = RunAdam(6, interruptAfter: null);
        var resumed = RunAdam(6, interruptAfter: 3);
        Assert.That(resumed, Is.EqualTo(straight));
    }

    [Test]
    public void LoadStateDict_WrongShape_ThrowsAndKeepsState()
    {
        using var p = new Parameter(Tensor.FromArray([1f, 2f]));
        using var optimizer = new Sgd([p], new SgdOptions { Momentum = 0.9 });
        using (TensorScope.Begin())
        {
            p.Sum().Backward();
        }

        optimizer.Step();
        var before = optimizer.StateDict();
        using var wrong = Tensor.Zeros(3);
        var bad = new OptimizerState(new Dictionary<string, Tensor> { ["state.0.momentum_buffer"] = wrong }, new Dictionary<string, double>());
        var ex = Assert.Throws<InvalidOperationException>(() => optimizer.LoadStateDict(bad));
        Assert.That(ex!.Message, Does.Contain("[3]").And.Contain("[2]"));
        var after = optimizer.StateDict();
        Assert.That(after.Tensors["state.0.momentum_buffer"].ToArray(), Is.EqualTo(before.Tensors["state.0.momentum_buffer"].ToArray()));
    }

    private static float[] RunAdam(int steps, int? interruptAfter)
    {
        using var p = new Parameter(Tensor.FromArray([0.5f, -1.5f, 2f]));
        var optimizer = new Adam([p], new AdamOptions { LearningRate = 0.05, WeightDecay = 0.01 });
        for (var i = 0; i < steps; i++)
        {
            if (interruptAfter == i)
            {
                var state = optimizer.StateDict();
                optimizer.Dispose();
                optimizer = new Adam([p], new AdamOptions { LearningRate = 0.05, WeightDecay = 0.01 });
                optimizer.LoadStateDict(state);
            }

            using (TensorScope.Begin())
            {
                optimizer.ZeroGrad();
                p.Square().Mul(p).Sum().Backward();
                optimizer.Step();
            }
        }

        optimizer.Dispose();
        return p.ToArray();
    }

    private static Optimizer Create(string kind, JsonElement kwargs, Parameter[] parameters)
    {
        double Get(string key, double fallback) => kwargs.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        bool GetBool(string key) => kwargs.TryGetProperty(key, out var v) && v.GetBoolean();
        switch (kind)
        {
            case "SGD":
                return new Sgd(parameters, new SgdOptions
                {
                    LearningRate = Get("lr", 0.01),
                    Momentum = Get("momentum", 0),
                    Dampening = Get("dampening", 0),
                    Nesterov = GetBool("nesterov"),
                    WeightDecay = Get("weight_decay", 0),
                    Maximize = GetBool("maximize"),
                });
            case "Adam":
            case "AdamW":
                var betas = kwargs.TryGetProperty("betas", out var bs) ? OptimFixture.Doubles(bs) : [0.9, 0.999];
                var options = new AdamOptions
                {
                    LearningRate = Get("lr", 1e-3),
                    Beta1 = betas[0],
                    Beta2 = betas[1],
                    Epsilon = Get("eps", 1e-8),
                    AmsGrad = GetBool("amsgrad"),
                    WeightDecay = Get("weight_decay", kind == "AdamW" ? AdamW.DefaultWeightDecay : 0),
                };
                return kind == "Adam" ? new Adam(parameters, options) : new AdamW(parameters, options);
            default:
                throw new ArgumentException($"Unknown optimizer kind {kind}.");
        }
    }
}
