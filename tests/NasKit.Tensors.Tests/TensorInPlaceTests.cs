namespace NasKit.Tensors.Tests;

/// <summary>In-place ops (Tensor.InPlace.cs): results, broadcasting, aliasing, version counters and autograd guards.</summary>
public class TensorInPlaceTests
{
    [Test]
    public void ArithmeticInPlace_WithBroadcastingAndAlpha_UpdatesAndReturnsThis()
    {
        using var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        using var row = Tensor.FromArray([10f, 20f]);
        var returned = x.AddInPlace(row, alpha: 0.5f);
        Assert.Multiple(() =>
        {
            Assert.That(returned, Is.SameAs(x));
            Assert.That(x.ToArray(), Is.EqualTo(new[] { 6f, 12f, 8f, 14f }));
        });
        x.SubInPlace(row).MulInPlace(2f).AddInPlace(1f).DivInPlace(Tensor.FromArray([1f, 2f])).DivInPlace(0.5f);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { -14f, -15f, -6f, -11f }));
        x.MulInPlace(Tensor.FromArray([2f, 0f], 2, 1));
        Assert.That(x.ToArray(), Is.EqualTo(new[] { -28f, -30f, 0f, 0f }));
    }

    [Test]
    public void AddcmulAddcdivClampFillZero_Sequence_UpdateInPlace()
    {
        using var x = Tensor.FromArray([1f, 1f, 1f]);
        using var a = Tensor.FromArray([1f, 2f, 3f]);
        using var b = Tensor.FromArray([2f, 2f, 2f]);
        x.AddcmulInPlace(a, b, 0.5f);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 2f, 3f, 4f }));
        x.AddcdivInPlace(a, b, 2f);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 3f, 5f, 7f }));
        x.ClampInPlace(max: 4f);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 3f, 4f, 4f }));
        x.ClampInPlace(min: 3.5f);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 3.5f, 4f, 4f }));
        x.FillInPlace(-1f);
        Assert.That(x.ToArray(), Is.All.EqualTo(-1f));
        x.ZeroInPlace();
        Assert.That(x.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void InPlace_OnNonContiguousView_WritesThroughToTheBase()
    {
        using var x = Tensor.Arange(6f).Reshape(2, 3);
        using var t = x.T;
        t.MulInPlace(10f);
        using var col = x.Select(1, 0);
        col.AddInPlace(Tensor.FromArray([1f, 2f]));
        using var stepped = x.Slice(1, 0, 3, 2);
        stepped.CopyFrom([-1f, -2f, -3f, -4f]);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { -1f, 10f, -2f, -3f, 40f, -4f }));
    }

    [Test]
    public void AddInPlace_OperandOverlappingWithDifferentLayout_ReadsASnapshot()
    {
        using var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        using var xt = x.T;
        x.AddInPlace(xt);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 2f, 5f, 5f, 8f }));
    }

    [Test]
    public void CopyFrom_TensorOrSpan_BroadcastsAndValidates()
    {
        using var x = Tensor.Zeros(2, 3);
        using var row = Tensor.FromArray([1f, 2f, 3f]);
        x.CopyFrom(row);
        Assert.Multiple(() =>
        {
            Assert.That(x.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 1f, 2f, 3f }));
            Assert.That(() => x.CopyFrom(Tensor.Zeros(4)), Throws.ArgumentException.With.Message.Contains("[4]").And.Message.Contains("[2, 3]"));
            Assert.That(() => x.CopyFrom(new float[5]), Throws.ArgumentException.With.Message.Contains("5 values").And.Message.Contains("[2, 3]"));
        });
    }

    [Test]
    public void InPlace_OnLeafRequiringGrad_ThrowsOutsideNoGradAndWorksInside()
    {
        using var w = Tensor.Ones(3).WithRequiresGrad();
        Assert.That(() => w.AddInPlace(1f), Throws.InvalidOperationException.With.Message.Contains("NoGrad"));
        using (Autograd.NoGrad())
        {
            w.AddInPlace(1f);
        }

        Assert.That(w.ToArray(), Is.All.EqualTo(2f));
    }

    [Test]
    public void InPlace_OnNonLeafInTheGraph_Throws()
    {
        using var w = Tensor.Ones(3).WithRequiresGrad();
        using var y = w.Mul(2f);
        Assert.That(() => y.MulInPlace(3f), Throws.InvalidOperationException.With.Message.Contains("MulBackward"));
    }

    [Test]
    public void Backward_AfterSavedInputWasModifiedInPlace_ThrowsWithVersions()
    {
        using var a = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var b = Tensor.FromArray([3f, 4f]);
        using var y = a.Mul(b); // saves b
        using var s = y.Sum();
        b.MulInPlace(2f);
        Assert.That(() => s.Backward(), Throws.InvalidOperationException
            .With.Message.Contains("modified by an in-place operation").And.Message.Contains("MulBackward").And.Message.Contains("version"));
    }

    [Test]
    public void Backward_AfterSavedLeafWasModifiedUnderNoGrad_Throws()
    {
        using var a = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = a.Log(); // saves its input
        using var s = y.Sum();
        using (Autograd.NoGrad())
        {
            a.AddInPlace(1f);
        }

        Assert.That(() => s.Backward(), Throws.InvalidOperationException.With.Message.Contains("in-place"));
    }

    [Test]
    public void Backward_AfterAViewOfASavedTensorWasModified_Throws()
    {
        using var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2).WithRequiresGrad();
        using var b = Tensor.FromArray([1f, 1f, 1f, 1f], 2, 2);
        using var y = a.Mul(b);
        using var s = y.Sum();
        using (var row = b.Select(0, 1))
        {
            row.FillInPlace(5f);
        }

        Assert.That(() => s.Backward(), Throws.InvalidOperationException.With.Message.Contains("in-place"));
    }

    [Test]
    public void Backward_InPlaceChangeOfATensorThatWasNotSaved_IsAllowed()
    {
        using var a = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var b = Tensor.FromArray([3f, 4f]);
        using var y = a.Add(b); // Add saves nothing
        using var s = y.Sum();
        b.MulInPlace(2f);
        s.Backward();
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 1f }));
    }

    [Test]
    public void AddInPlace_BroadcastView_ThrowsInsteadOfSummingWrites()
    {
        using var row = Tensor.FromArray([1f, 2f, 3f]);
        using var expanded = row.Expand(4, 3);
        var ex = Assert.Throws<InvalidOperationException>(() => expanded.AddInPlace(1f));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("[4, 3]").And.Contain("broadcast"));
            Assert.That(row.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f }), "nothing may be written");
        });
    }
}
