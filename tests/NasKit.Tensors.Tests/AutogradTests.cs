using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Gradient mode and functional gradients (Autograd.cs).</summary>
public class AutogradTests
{
    [Test]
    public void NoGrad_NestedEnableGrad_OpsStopRecordingAndModeIsRestored()
    {
        using var x = Tensor.Ones(3).WithRequiresGrad();
        Tensor y;
        using (Autograd.NoGrad())
        {
            Assert.That(Autograd.IsGradEnabled, Is.False);
            y = x.Mul(2f).Exp();
            using (Autograd.EnableGrad())
            {
                Assert.That(Autograd.IsGradEnabled, Is.True);
                using var z = x.Mul(2f);
                Assert.That(z.RequiresGrad, Is.True);
            }

            Assert.That(Autograd.IsGradEnabled, Is.False);
        }

        Assert.Multiple(() =>
        {
            Assert.That(Autograd.IsGradEnabled, Is.True);
            Assert.That(y.RequiresGrad, Is.False);
            Assert.That(y.IsLeaf, Is.True);
        });
        y.Dispose();
    }

    [Test]
    public void NoGrad_OtherThread_StaysEnabled()
    {
        bool otherThreadEnabled;
        using (Autograd.NoGrad())
        {
            otherThreadEnabled = Task.Run(() => Autograd.IsGradEnabled).GetAwaiter().GetResult();
        }

        Assert.That(otherThreadEnabled, Is.True);
    }

    [Test]
    public void Grad_LeafAndIntermediateInputs_ReturnsGradientsWithoutTouchingGradFields()
    {
        using var x = Tensor.FromArray([1f, 2f, 3f]).WithRequiresGrad();
        using var h = x.Mul(x);        // h = x²
        using var y = h.Mul(2f).Sum(); // y = 2·Σh
        var grads = Autograd.Grad([y], [x, h]);
        Assert.Multiple(() =>
        {
            Assert.That(grads[0]!.ToArray(), Is.EqualTo(new[] { 4f, 8f, 12f }), "dy/dx = 4x");
            Assert.That(grads[1]!.ToArray(), Is.EqualTo(new[] { 2f, 2f, 2f }), "dy/dh = 2");
            Assert.That(x.Grad, Is.Null);
            Assert.That(h.Grad, Is.Null);
        });
        grads[0]!.Dispose();
        grads[1]!.Dispose();
    }

    [Test]
    public void Grad_OnlyTheInput_SkipsEveryConvolutionWeightGradientAndMatchesBackward()
    {
        using var x = TestData.Tensor(31, [2, 3, 6, 6], requiresGrad: true);
        using var w1 = TestData.Tensor(32, [4, 3, 3, 3], requiresGrad: true);
        using var w2 = TestData.Tensor(33, [2, 4, 3, 3], requiresGrad: true);
        using var a = Tensor.FromArray([0.7f]).WithRequiresGrad();

        var (grads, kernels) = Profiled(() => Autograd.Grad([Loss(x, w1, w2, a)], [x]));
        Loss(x, w1, w2, a).Backward();

        Assert.Multiple(() =>
        {
            TensorAssert.Close(grads[0]!.ToArray(), x.Grad!.ToArray(), rtol: 1e-6, atol: 1e-7, context: "input gradient");
            Assert.That(kernels.GetValueOrDefault("Conv2dBackwardWeight"), Is.Zero, "weight-gradient kernels");
            Assert.That(kernels.GetValueOrDefault("Conv2dBackwardInput"), Is.EqualTo(2), "input-gradient kernels");
        });
        grads[0]!.Dispose();
    }

    [Test]
    public void Grad_OnlyAParameterBetweenConvolutions_SkipsTheWeightGradientsAndTheFirstInputGradient()
    {
        // The architecture-parameter case: a scalar scales the first convolution's output. Reaching it needs the second
        // convolution's input gradient only; no weight gradient and not the first convolution's input gradient.
        using var x = TestData.Tensor(34, [2, 3, 6, 6], requiresGrad: true);
        using var w1 = TestData.Tensor(35, [4, 3, 3, 3], requiresGrad: true);
        using var w2 = TestData.Tensor(36, [2, 4, 3, 3], requiresGrad: true);
        using var a = Tensor.FromArray([0.7f]).WithRequiresGrad();

        var (grads, kernels) = Profiled(() => Autograd.Grad([Loss(x, w1, w2, a)], [a]));
        var (all, allKernels) = Profiled(() => Autograd.Grad([Loss(x, w1, w2, a)], [a, w1]));

        Assert.Multiple(() =>
        {
            Assert.That(grads[0]!.Item(), Is.EqualTo(all[0]!.Item()).Within(1e-5f), "the same gradient either way");
            Assert.That(kernels.GetValueOrDefault("Conv2dBackwardWeight"), Is.Zero, "weight-gradient kernels, a only");
            Assert.That(kernels.GetValueOrDefault("Conv2dBackwardInput"), Is.EqualTo(1), "input-gradient kernels, a only");
            Assert.That(allKernels.GetValueOrDefault("Conv2dBackwardWeight"), Is.EqualTo(1), "weight-gradient kernels, a and w1");
        });
        foreach (var g in grads.Concat(all))
        {
            g!.Dispose();
        }
    }

    [Test]
    public void Grad_PrunedThenBackwardOnTheRetainedGraph_ComputesEveryGradientAgain()
    {
        using var x = TestData.Tensor(37, [1, 3, 5, 5]);
        using var w1 = TestData.Tensor(38, [4, 3, 3, 3], requiresGrad: true);
        using var w2 = TestData.Tensor(39, [2, 4, 3, 3], requiresGrad: true);
        using var a = Tensor.FromArray([1.3f]).WithRequiresGrad();
        using var loss = Loss(x, w1, w2, a);
        var ga = Autograd.Grad([loss], [a], retainGraph: true);
        loss.Backward();
        using var reference = Loss(x, w1, w2, a);
        var expected = Autograd.Grad([reference], [w1, w2]);

        Assert.Multiple(() =>
        {
            TensorAssert.Close(w1.Grad!.ToArray(), expected[0]!.ToArray(), rtol: 1e-6, atol: 1e-7, context: "w1");
            TensorAssert.Close(w2.Grad!.ToArray(), expected[1]!.ToArray(), rtol: 1e-6, atol: 1e-7, context: "w2");
        });
        foreach (var g in ga.Concat(expected))
        {
            g!.Dispose();
        }
    }

    private static Tensor Loss(Tensor x, Tensor w1, Tensor w2, Tensor a)
    {
        // The intermediates stay alive: the backward pass reads what the convolutions saved.
        var h = NasKit.Tensors.NN.Functional.Conv2d(x, w1, padding: 1);
        var y = NasKit.Tensors.NN.Functional.Conv2d(h * a, w2, padding: 1);
        return (y * y).Sum();
    }

    private static (Tensor?[] Grads, Dictionary<string, long> Kernels) Profiled(Func<Tensor?[]> run)
    {
        using var profiler = TensorEngine.StartProfiling();
        var grads = run();
        return (grads, profiler.Snapshot().ToDictionary(k => k.Kernel, k => k.Calls));
    }

    [Test]
    public void Grad_WithOutputGradient_WeightsTheOutputs()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = x.Mul(x);
        using var g = Tensor.FromArray([10f, -1f]);
        using var dx = Autograd.Grad(y, x, g);
        Assert.That(dx.ToArray(), Is.EqualTo(new[] { 20f, -4f }));
    }

    [Test]
    public void Grad_UnusedInput_ThrowsUnlessAllowed()
    {
        using var x = Tensor.Ones(2).WithRequiresGrad();
        using var unused = Tensor.Ones(2).WithRequiresGrad();
        using var y = x.Sum();
        Assert.That(() => Autograd.Grad([y], [x, unused], retainGraph: true), Throws.InvalidOperationException.With.Message.Contains("allowUnused"));
        var grads = Autograd.Grad([y], [x, unused], allowUnused: true);
        Assert.Multiple(() =>
        {
            Assert.That(grads[0]!.ToArray(), Is.EqualTo(new[] { 1f, 1f }));
            Assert.That(grads[1], Is.Null);
        });
        grads[0]!.Dispose();
    }

    [Test]
    public void Grad_InputWithoutGradOrMismatchedGradOutputs_Throws()
    {
        using var x = Tensor.Ones(2).WithRequiresGrad();
        using var c = Tensor.Ones(2);
        using var y = x.Sum();
        Assert.Multiple(() =>
        {
            Assert.That(() => Autograd.Grad([y], [c]), Throws.InvalidOperationException.With.Message.Contains("does not require grad"));
            Assert.That(() => Autograd.Grad([y], [x], [null, null]), Throws.ArgumentException.With.Message.Contains("2 output gradients"));
            Assert.That(() => Autograd.Grad(Array.Empty<Tensor>(), [x]), Throws.ArgumentException);
        });
    }

    [Test]
    public void Grad_RetainGraph_AllowsALaterBackward()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = x.Exp().Sum();
        using var first = Autograd.Grad(y, x, retainGraph: true);
        y.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(first.ToArray()));
    }

    [Test]
    public void Backward_SeveralOutputs_SumsTheirGradients()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var a = x.Mul(3f).Sum();
        using var b = x.Mul(x);
        using var gb = Tensor.FromArray([1f, 1f]);
        Autograd.Backward([a, b], [null, gb]);
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 5f, 7f }), "3 + 2x");
    }
}
