using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Backward, gradient accumulation, Detach, RetainGrad, hooks and deferred disposal (Tensor.Autograd.cs).</summary>
public class TensorAutogradTests
{
    [Test]
    public void Backward_TwoPasses_AccumulateIntoGrad()
    {
        using var x = Tensor.FromArray([1f, -2f, 3f]).WithRequiresGrad();
        for (var pass = 0; pass < 2; pass++)
        {
            using var y = x.Mul(x).Sum();
            y.Backward();
        }

        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 4f, -8f, 12f }), "2 · 2x");
    }

    [Test]
    public void Backward_TwiceWithoutRetainGraph_ThrowsAClearError()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = x.Exp().Sum();
        y.Backward();
        Assert.That(() => y.Backward(), Throws.InvalidOperationException.With.Message.Contains("retainGraph"));
    }

    [Test]
    public void Backward_TwiceWithRetainGraph_AccumulatesTwice()
    {
        using var x = Tensor.FromArray([0f, 1f]).WithRequiresGrad();
        using var y = x.Exp().Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 2f, 2f * MathF.E }).Within(1e-5f));
    }

    [Test]
    public void Backward_NonScalarWithoutGradient_ThrowsWithShape()
    {
        using var x = Tensor.Ones(2, 3).WithRequiresGrad();
        using var y = x.Mul(2f);
        Assert.That(() => y.Backward(), Throws.InvalidOperationException.With.Message.Contains("[2, 3]"));
    }

    [Test]
    public void Backward_NonScalarWithExplicitGradient_UsesIt()
    {
        using var x = Tensor.Ones(2, 2).WithRequiresGrad();
        using var y = x.Mul(3f);
        using var g = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        y.Backward(g);
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 3f, 6f, 9f, 12f }));
    }

    [Test]
    public void Backward_OnALeafWithExplicitGradient_StoresACopy()
    {
        using var x = Tensor.Ones(3).WithRequiresGrad();
        using var g = Tensor.FromArray([1f, 2f, 3f]);
        x.Backward(g);
        g.FillInPlace(0f);
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f }), "the caller's gradient tensor must not become .Grad");
    }

    [Test]
    public void Backward_ThroughAnAliasingBackward_DoesNotAliasTheCallersGradient()
    {
        // ReshapeBackward hands back a view of the incoming gradient; accumulating into .Grad must not write into it.
        using var x = Tensor.Ones(2, 2).WithRequiresGrad();
        using var y = x.Reshape(4);
        using var g = Tensor.FromArray([1f, 2f, 3f, 4f]);
        y.Backward(g, retainGraph: true);
        y.Backward(g);
        Assert.Multiple(() =>
        {
            Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 2f, 4f, 6f, 8f }));
            Assert.That(g.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        });
    }

    [Test]
    public void Backward_GradientOfWrongShape_ThrowsWithBothShapes()
    {
        using var x = Tensor.Ones(2, 2).WithRequiresGrad();
        using var y = x.Mul(3f);
        using var g = Tensor.Ones(4);
        Assert.That(() => y.Backward(g), Throws.ArgumentException.With.Message.Contains("[4]").And.Message.Contains("[2, 2]"));
    }

    [Test]
    public void Backward_OnTensorWithoutGrad_Throws()
    {
        using var x = Tensor.Ones(2);
        using var s = x.Sum();
        Assert.That(() => s.Backward(), Throws.InvalidOperationException.With.Message.Contains("does not require grad"));
    }

    [Test]
    public void Backward_OneElementNonScalar_UsesOnes()
    {
        using var x = Tensor.FromArray([2f], 1, 1).WithRequiresGrad();
        using var y = x.Mul(x);
        y.Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(4f));
    }

    [Test]
    public void Backward_DiamondGraph_SumsBothPaths()
    {
        // y = exp(x)·sin(x) reuses x through two branches; dy/dx = exp(x)(sin x + cos x).
        using var x = TestData.Tensor(1, [5], requiresGrad: true);
        using var y = x.Exp().Mul(x.Sin()).Sum();
        y.Backward();
        var expected = x.ToArray().Select(v => (float)(Math.Exp(v) * (Math.Sin(v) + Math.Cos(v)))).ToArray();
        TensorAssert.Close(x.Grad!.ToArray(), expected, 1e-5, 1e-6);
    }

    [Test]
    public void Detach_UsedInAProduct_StopsGradientsAndSharesStorage()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var d = x.Detach();
        using var y = d.Mul(x).Sum();
        y.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(d.RequiresGrad, Is.False);
            Assert.That(d.IsLeaf, Is.True);
            Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 2f }), "only the non-detached factor contributes");
        });
        using (Autograd.NoGrad())
        {
            d.FillInPlace(5f);
        }

        Assert.That(x.ToArray(), Is.EqualTo(new[] { 5f, 5f }));
    }

    [Test]
    public void RequiresGrad_SetOnNonLeaf_Throws()
    {
        using var x = Tensor.Ones(2).WithRequiresGrad();
        using var y = x.Mul(2f);
        Assert.Multiple(() =>
        {
            Assert.That(y.IsLeaf, Is.False);
            Assert.That(y.GradFunctionName, Is.EqualTo("MulBackward"));
            Assert.That(() => y.RequiresGrad = false, Throws.InvalidOperationException.With.Message.Contains("Detach"));
        });
    }

    [Test]
    public void Grad_SetterWithWrongShape_Throws()
    {
        using var x = Tensor.Ones(2, 2);
        Assert.That(() => x.Grad = Tensor.Ones(3), Throws.ArgumentException.With.Message.Contains("[3]").And.Message.Contains("[2, 2]"));
    }

    [Test]
    public void RetainGrad_OnNonLeaf_KeepsItsGradient()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = x.Mul(3f);
        using var other = x.Mul(2f);
        y.RetainGrad();
        using var z = y.Mul(y).Sum();
        z.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(y.Grad!.ToArray(), Is.EqualTo(new[] { 6f, 12f }), "2y");
            Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 18f, 36f }), "2y · 3");
            Assert.That(other.Grad, Is.Null, "non-leaves keep no gradient unless asked");
        });
    }

    [Test]
    public void RetainGrad_OnTensorWithoutGrad_Throws()
    {
        using var x = Tensor.Ones(2);
        Assert.That(() => x.RetainGrad(), Throws.InvalidOperationException);
    }

    [Test]
    public void RegisterHook_ObservingHook_SeesTheGradientAndLeavesItUnchanged()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = x.Mul(x);
        float[]? seen = null;
        using var handle = y.RegisterHook(g =>
        {
            seen = g.ToArray();
            return null;
        });
        using var s = y.Mul(3f).Sum();
        s.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { 3f, 3f }));
            Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 6f, 12f }));
        });
    }

    [Test]
    public void RegisterHook_ReplacingHook_ChangesTheGradientUpstream()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = x.Mul(x);
        using var handle = y.RegisterHook(g => g.Mul(10f));
        using var s = y.Sum();
        s.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 20f, 40f }));
    }

    [Test]
    public void RegisterHook_OnLeaf_ReplacesTheAccumulatedGradient()
    {
        using var x = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var handle = x.RegisterHook(g => g.Neg());
        using var s = x.Mul(2f).Sum();
        s.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { -2f, -2f }));
    }

    [Test]
    public void RegisterHook_RemovedThroughItsHandle_NoLongerRuns()
    {
        using var x = Tensor.FromArray([1f]).WithRequiresGrad();
        var calls = 0;
        var handle = x.RegisterHook(_ =>
        {
            calls++;
            return null;
        });
        handle.Dispose();
        using var s = x.Mul(2f).Sum();
        s.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(handle.IsRemoved, Is.True);
            Assert.That(calls, Is.Zero);
            Assert.That(x.Grad!.Item(), Is.EqualTo(2f));
        });
    }

    [Test]
    public void RegisterHook_ReturningWrongShape_ThrowsWithShapes()
    {
        using var x = Tensor.Ones(3).WithRequiresGrad();
        using var y = x.Mul(2f);
        using var handle = y.RegisterHook(_ => Tensor.Ones(2));
        using var s = y.Sum();
        Assert.That(() => s.Backward(), Throws.InvalidOperationException.With.Message.Contains("[2]").And.Message.Contains("[3]"));
    }

    [Test]
    public void RegisterHook_OnTensorWithoutGrad_Throws()
    {
        using var x = Tensor.Ones(3);
        Assert.That(() => x.RegisterHook(g => g), Throws.InvalidOperationException);
    }

    [Test]
    public void Dispose_ForwardIntermediatesBeforeBackward_GradientsStayCorrect()
    {
        using var x = TestData.Tensor(2, [6], requiresGrad: true);
        using var w = TestData.Tensor(3, [6]);
        float[] reference;
        using (var h = x.Exp())
        using (var y = h.Mul(w).Sum())
        {
            y.Backward();
            reference = x.Grad!.ToArray();
        }

        x.Grad!.Dispose();
        x.Grad = null;

        Tensor loss;
        Tensor hidden;
        using (var scope = TensorScope.Begin())
        {
            hidden = x.Exp();               // saved by ExpBackward (its output) and by MulBackward
            var product = hidden.Mul(w);
            loss = scope.MoveToOuter(product.Sum());
            hidden.Dispose();               // explicit early disposal
        }                                   // the scope disposes 'product' too

        Assert.That(hidden.IsDisposed, Is.False, "disposal is deferred while the graph needs the tensor");
        loss.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(x.Grad!.ToArray(), Is.EqualTo(reference));
            Assert.That(hidden.IsDisposed, Is.True, "the deferred disposal completes once backward released the graph");
        });
        loss.Dispose();
    }
}
