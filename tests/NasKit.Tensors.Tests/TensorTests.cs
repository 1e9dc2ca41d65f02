using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Core tensor object behaviour (Tensor.cs, Tensor.Data.cs): layout, disposal, ToString, empty tensors.</summary>
public class TensorTests
{
    [Test]
    public void EmptyTensors_ElementwiseReshapeAndReductions_Work()
    {
        // PyTorch 1.13: ops on a [2, 0] tensor give empty results of the broadcast shape; sum over the empty dim gives zeros.
        using var e = Tensor.Zeros(2, 0);
        using var sum = e.Add(e);
        using var exp = e.Exp();
        using var t = e.T;
        using var tc = t.Contiguous();
        using var r = e.Reshape(0, 5);
        using var s0 = e.Sum(0);
        using var s1 = e.Sum(1);
        using var m = e.Mul(Tensor.Ones(2, 1));
        Assert.Multiple(() =>
        {
            Assert.That(e.IsContiguous, Is.True);
            Assert.That(sum.Shape, Is.EqualTo(new[] { 2, 0 }));
            Assert.That(exp.ToArray(), Is.Empty);
            Assert.That(tc.Shape, Is.EqualTo(new[] { 0, 2 }));
            Assert.That(r.Shape, Is.EqualTo(new[] { 0, 5 }));
            Assert.That(s0.Shape, Is.EqualTo(new[] { 0 }));
            Assert.That(s1.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
            Assert.That(m.Shape, Is.EqualTo(new[] { 2, 0 }));
        });
    }

    [Test]
    public void LayoutProperties_SelectedView_DescribeShapeStridesAndOffset()
    {
        using var x = Tensor.Zeros(2, 3, 4);
        using var s = x.Select(1, 2);
        Assert.Multiple(() =>
        {
            Assert.That(x.Rank, Is.EqualTo(3));
            Assert.That(x.Strides, Is.EqualTo(new[] { 12, 4, 1 }));
            Assert.That(x.NumberOfElements, Is.EqualTo(24));
            Assert.That(x.Size(-1), Is.EqualTo(4));
            Assert.That(s.StorageOffset, Is.EqualTo(8));
            Assert.That(s.Strides, Is.EqualTo(new[] { 12, 1 }));
            Assert.That(s.IsContiguous, Is.False);
        });
    }

    [Test]
    public void Shape_MutatedCopy_LeavesTheTensorUnchanged()
    {
        using var x = Tensor.Zeros(2, 3);
        var shape = x.Shape;
        shape[0] = 99;
        Assert.That(x.Shape, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void Item_OnMultiElementTensor_ThrowsWithShape()
    {
        using var x = Tensor.Zeros(2, 2);
        using var one = Tensor.FromArray([4f], 1, 1);
        Assert.Multiple(() =>
        {
            Assert.That(() => x.Item(), Throws.InvalidOperationException.With.Message.Contains("[2, 2]"));
            Assert.That(one.Item(), Is.EqualTo(4f));
        });
    }

    [Test]
    public void CopyTo_ShortDestination_Throws()
    {
        using var x = Tensor.Arange(4f);
        var big = new float[6];
        x.CopyTo(big);
        Assert.Multiple(() =>
        {
            Assert.That(big, Is.EqualTo(new[] { 0f, 1f, 2f, 3f, 0f, 0f }));
            Assert.That(() => x.CopyTo(new float[3]), Throws.ArgumentException.With.Message.Contains("3"));
        });
    }

    [Test]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var x = Tensor.Ones(3);
        x.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(x.IsDisposed, Is.True);
            Assert.That(() => x.ToArray(), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(x.ToString(), Does.Contain("disposed"));
        });
        x.Dispose(); // a second dispose is harmless
    }

    [Test]
    public void Dispose_BaseWithLiveView_KeepsTheStorageForTheView()
    {
        var x = Tensor.Arange(6f);
        using var v = x.View(2, 3);
        x.Dispose();
        Assert.That(v.ToArray(), Is.EqualTo(new[] { 0f, 1f, 2f, 3f, 4f, 5f }));
    }

    [Test]
    public void ToString_VariousTensors_ShowsNameShapeGradStateAndValues()
    {
        using var x = Tensor.FromArray([1f, 2.5f, -3f, 4f], 2, 2);
        x.Name = "w";
        using var leaf = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        using var y = leaf.Mul(2f);
        using var s = Tensor.Scalar(0.125f);
        using var big = Tensor.Zeros(100);
        Assert.Multiple(() =>
        {
            Assert.That(x.ToString(), Is.EqualTo("Tensor 'w'[2, 2]: [[1, 2.5], [-3, 4]]"));
            Assert.That(leaf.ToString(), Does.Contain("requires_grad"));
            Assert.That(y.ToString(), Does.Contain("grad_fn=MulBackward"));
            Assert.That(s.ToString(), Is.EqualTo("Tensor[]: 0.125"));
            Assert.That(big.ToString(maxElements: 5), Does.EndWith("0, 0, 0, 0, 0, ...]"));
        });
    }
}
