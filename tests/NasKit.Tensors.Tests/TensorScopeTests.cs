using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests;

/// <summary>Scoped tensor lifetimes (TensorScope.cs).</summary>
public class TensorScopeTests
{
    [Test]
    public void Dispose_TensorsFromInsideAndOutside_DisposesOnlyTheScopesOwn()
    {
        using var before = Tensor.Ones(3);
        Tensor inside, derived;
        using (var scope = TensorScope.Begin())
        {
            inside = Tensor.Ones(3);
            derived = inside.Add(before);
            Assert.Multiple(() =>
            {
                Assert.That(TensorScope.Current, Is.SameAs(scope));
                Assert.That(scope.OwnedCount, Is.EqualTo(2));
            });
        }

        Assert.Multiple(() =>
        {
            Assert.That(inside.IsDisposed, Is.True);
            Assert.That(derived.IsDisposed, Is.True);
            Assert.That(before.IsDisposed, Is.False);
            Assert.That(TensorScope.Current, Is.Null);
        });
    }

    [Test]
    public void MoveToOuter_NestedScopes_HandsTheTensorToTheEnclosingScope()
    {
        Tensor moved;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                moved = inner.MoveToOuter(Tensor.Ones(2));
            }

            Assert.Multiple(() =>
            {
                Assert.That(moved.IsDisposed, Is.False, "survives the inner scope");
                Assert.That(outer.OwnedCount, Is.EqualTo(1));
            });
        }

        Assert.That(moved.IsDisposed, Is.True, "disposed by the outer scope");
    }

    [Test]
    public void MoveToOuter_WithoutEnclosingScope_ReleasesTheTensor()
    {
        Tensor kept;
        using (var scope = TensorScope.Begin())
        {
            kept = scope.MoveToOuter(Tensor.Ones(2));
        }

        Assert.That(kept.IsDisposed, Is.False);
        kept.Dispose();
    }

    [Test]
    public void Detach_NestedScopes_RemovesTheTensorFromScopeManagement()
    {
        Tensor kept;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                kept = inner.Detach(Tensor.Ones(2));
            }
        }

        Assert.That(kept.IsDisposed, Is.False);
        kept.Dispose();
    }

    [Test]
    public void MoveToOuterOrDetach_OfATensorOwnedElsewhere_Throws()
    {
        using var free = Tensor.Ones(2);
        using var scope = TensorScope.Begin();
        Assert.Multiple(() =>
        {
            Assert.That(() => scope.MoveToOuter(free), Throws.InvalidOperationException.With.Message.Contains("not owned"));
            Assert.That(() => scope.Detach(free), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void Begin_NestedScopes_EachOwnsItsOwnTensors()
    {
        Tensor a, b;
        using (TensorScope.Begin())
        {
            a = Tensor.Ones(1);
            using (TensorScope.Begin())
            {
                b = Tensor.Ones(1);
            }

            Assert.Multiple(() =>
            {
                Assert.That(b.IsDisposed, Is.True);
                Assert.That(a.IsDisposed, Is.False);
            });
        }

        Assert.That(a.IsDisposed, Is.True);
    }

    [Test]
    public void Dispose_OutOfOrder_ThrowsAndInOrderWorks()
    {
        var outer = TensorScope.Begin();
        var inner = TensorScope.Begin();
        Assert.That(() => outer.Dispose(), Throws.InvalidOperationException.With.Message.Contains("reverse order"));
        inner.Dispose();
        outer.Dispose();
        Assert.That(TensorScope.Current, Is.Null);
    }

    [Test]
    public void Dispose_OnAnotherThread_Throws()
    {
        var scope = TensorScope.Begin();
        try
        {
            var error = Task.Run(() => Assert.Catch(() => scope.Dispose())).GetAwaiter().GetResult();
            Assert.That(error, Is.TypeOf<InvalidOperationException>().And.Message.Contains("thread"));
        }
        finally
        {
            scope.Dispose();
        }
    }

    [Test]
    public void Dispose_ParameterAndItsGradient_SurviveTheScope()
    {
        Parameter p;
        using (var scope = TensorScope.Begin())
        {
            p = new Parameter(Tensor.FromArray([1f, 2f]));
            var loss = p.Mul(p).Sum();
            loss.Backward();
        }

        Assert.Multiple(() =>
        {
            Assert.That(p.IsDisposed, Is.False);
            Assert.That(p.Grad, Is.Not.Null);
            Assert.That(p.Grad!.IsDisposed, Is.False);
            Assert.That(p.Grad.ToArray(), Is.EqualTo(new[] { 2f, 4f }));
        });
        p.Grad!.Dispose();
        p.Dispose();
    }

    [Test]
    public void Statistics_ThreeTensorsInAScope_CountCreatedAndDisposed()
    {
        TensorScope.ResetStatistics();
        Assert.That(TensorScope.Statistics.TensorsCreated, Is.Zero);
        using (TensorScope.Begin())
        {
            _ = Tensor.Zeros(4);
            _ = Tensor.Zeros(4);
            _ = Tensor.Zeros(4);
        }

        var stats = TensorScope.Statistics;
        Assert.Multiple(() =>
        {
            Assert.That(stats.TensorsCreated, Is.EqualTo(3));
            Assert.That(stats.TensorsDisposed, Is.EqualTo(3));
        });
    }

    [Test]
    public void Statistics_RepeatedStepsOfTheSameSize_AreServedByThePool()
    {
        // Two warm-up steps fill the pool; later steps of the same sizes must be pool hits, not new allocations.
        for (var step = 0; step < 2; step++)
        {
            Step();
        }

        var before = TensorScope.Statistics;
        for (var step = 0; step < 3; step++)
        {
            Step();
        }

        var after = TensorScope.Statistics;
        Assert.Multiple(() =>
        {
            Assert.That(after.PoolRents - before.PoolRents, Is.GreaterThanOrEqualTo(6));
            Assert.That(after.PoolHits - before.PoolHits, Is.EqualTo(after.PoolRents - before.PoolRents));
        });

        static void Step()
        {
            using var scope = TensorScope.Begin();
            var a = Tensor.Ones(2048);
            _ = a.Mul(2f).Add(a);
        }
    }
}
