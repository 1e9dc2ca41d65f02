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
