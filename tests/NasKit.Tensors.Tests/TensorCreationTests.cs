namespace NasKit.Tensors.Tests;

/// <summary>Factory functions (Tensor.Creation.cs).</summary>
public class TensorCreationTests
{
    [Test]
    public void FilledFactories_GivenShape_ProduceShapeAndValues()
    {
        using var z = Tensor.Zeros(2, 3);
        using var o = Tensor.Ones(4);
        using var f = Tensor.Full([2, 2], 1.5f);
        using var s = Tensor.Scalar(-2f);
        using var e = Tensor.Empty(3, 0);
        using var zl = Tensor.ZerosLike(f);
        using var ol = Tensor.OnesLike(z);
        using var fl = Tensor.FullLike(o, 7f);
        using var el = Tensor.EmptyLike(z);
        Assert.Multiple(() =>
        {
            Assert.That(z.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(z.ToArray(), Is.All.EqualTo(0f));
            Assert.That(o.ToArray(), Is.EqualTo(new[] { 1f, 1f, 1f, 1f }));
            Assert.That(f.ToArray(), Is.All.EqualTo(1.5f));
            Assert.That(s.Rank, Is.Zero);
            Assert.That(s.Item(), Is.EqualTo(-2f));
            Assert.That(e.NumberOfElements, Is.Zero);
            Assert.That(zl.Shape, Is.EqualTo(new[] { 2, 2 }));
            Assert.That(zl.ToArray(), Is.All.EqualTo(0f));
            Assert.That(ol.ToArray(), Is.All.EqualTo(1f));
            Assert.That(fl.ToArray(), Is.All.EqualTo(7f));
            Assert.That(el.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(z.RequiresGrad, Is.False);
        });
    }

    [Test]
    public void Factories_NegativeDimension_ThrowsNamingTheDimension()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Tensor.Zeros(2, -3), Throws.ArgumentException.With.Message.Contains("dimension 1").And.Message.Contains("-3"));
            Assert.That(() => Tensor.Full([-1], 0f), Throws.ArgumentException.With.Message.Contains("-1"));
        });
    }

    [Test]
    public void FromArray_WrongCount_ThrowsWithCountAndShape()
    {
        Assert.That(() => Tensor.FromArray([1f, 2f, 3f], 2, 2), Throws.ArgumentException.With.Message.Contains("3 values").And.Message.Contains("[2, 2]"));
    }

    [Test]
    public void FromArray_WithoutShape_IsOneDimensional()
    {
        using var x = Tensor.FromArray([1f, 2f, 3f]);
        Assert.That(x.Shape, Is.EqualTo(new[] { 3 }));
    }

    [Test]
    public void FromArray_SourceChangedAfterwards_KeepsItsCopy()
    {
        var data = new[] { 1f, 2f };
        using var x = Tensor.FromArray(data);
        data[0] = 100f;
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 1f, 2f }));
    }

    [Test]
    public void FromArray_MultidimensionalArrays_KeepRowMajorOrder()
    {
        using var m = Tensor.FromArray(new float[,] { { 1f, 2f, 3f }, { 4f, 5f, 6f } });
        using var c = Tensor.FromArray(new float[,,] { { { 1f }, { 2f } }, { { 3f }, { 4f } } });
        var four = new float[1, 2, 1, 2];
        four[0, 1, 0, 1] = 9f;
        using var q = Tensor.FromArray(four);
        Assert.Multiple(() =>
        {
            Assert.That(m.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(m.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
            Assert.That(c.Shape, Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(c.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
            Assert.That(q.Shape, Is.EqualTo(new[] { 1, 2, 1, 2 }));
            Assert.That(q.ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f, 9f }));
        });
    }

    [Test]
    public void Arange_IntegerFractionalAndNegativeSteps_MatchPyTorch()
    {
        // PyTorch 1.13: arange(5), arange(0, 1, 0.3) -> [0, 0.3, 0.6, 0.9], arange(5, 1, -1.5) -> [5, 3.5, 2], arange(2, 2) -> [].
        using var a = Tensor.Arange(5f);
        using var b = Tensor.Arange(0f, 1f, 0.3f);
        using var c = Tensor.Arange(5f, 1f, -1.5f);
        using var d = Tensor.Arange(2f, 2f);
        Assert.Multiple(() =>
        {
            Assert.That(a.ToArray(), Is.EqualTo(new[] { 0f, 1f, 2f, 3f, 4f }));
            Assert.That(b.ToArray(), Is.EqualTo(new[] { 0f, 0.3f, 0.6f, 0.9f }).Within(1e-6f));
            Assert.That(c.ToArray(), Is.EqualTo(new[] { 5f, 3.5f, 2f }));
            Assert.That(d.Shape, Is.EqualTo(new[] { 0 }));
        });
    }

    [Test]
    public void Arange_ZeroStepOrWrongDirection_ThrowsWithValues()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Tensor.Arange(0f, 1f, 0f), Throws.ArgumentException.With.Message.Contains("step=0"));
            Assert.That(() => Tensor.Arange(0f, 5f, -1f), Throws.ArgumentException.With.Message.Contains("end=5").And.Message.Contains("step=-1"));
        });
    }

    [Test]
    public void Linspace_VariousCounts_IncludesBothEnds()
    {
        using var a = Tensor.Linspace(0f, 1f, 5);
        using var b = Tensor.Linspace(3f, -3f, 4);
        using var one = Tensor.Linspace(2f, 9f, 1);
        using var none = Tensor.Linspace(0f, 1f, 0);
        Assert.Multiple(() =>
        {
            Assert.That(a.ToArray(), Is.EqualTo(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }));
            Assert.That(b.ToArray(), Is.EqualTo(new[] { 3f, 1f, -1f, -3f }));
            Assert.That(one.ToArray(), Is.EqualTo(new[] { 2f }));
            Assert.That(none.Shape, Is.EqualTo(new[] { 0 }));
            Assert.That(() => Tensor.Linspace(0f, 1f, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Eye_SquareAndRectangular_HasOnesOnTheDiagonal()
    {
        using var i3 = Tensor.Eye(3);
        using var r = Tensor.Eye(2, 3);
        using var t = Tensor.Eye(3, 2);
        Assert.Multiple(() =>
        {
            Assert.That(i3.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f }));
            Assert.That(r.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 0f, 1f, 0f }));
            Assert.That(t.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 1f, 0f, 0f }));
        });
    }

    [Test]
    public void RandomFactories_SeededGenerator_RespectRangesAndMoments()
    {
        var g = new Generator(42);
        using var u = Tensor.Uniform([20_000], -2f, 3f, g);
        using var r = Tensor.Rand([20_000], g);
        using var n = Tensor.Normal([20_000], 1f, 2f, g);
        var uv = u.ToArray();
        var rv = r.ToArray();
        var nv = n.ToArray();
        var nMean = nv.Average();
        var nStd = Math.Sqrt(nv.Select(v => (v - nMean) * (v - nMean)).Average());
        Assert.Multiple(() =>
        {
            Assert.That(uv.Min(), Is.GreaterThanOrEqualTo(-2f));
            Assert.That(uv.Max(), Is.LessThan(3f));
            Assert.That(uv.Average(), Is.EqualTo(0.5).Within(0.05), "mean of U(-2, 3); standard error 0.01");
            Assert.That(rv.Min(), Is.GreaterThanOrEqualTo(0f));
            Assert.That(rv.Max(), Is.LessThan(1f));
            Assert.That(nMean, Is.EqualTo(1.0).Within(0.06), "standard error 0.014");
            Assert.That(nStd, Is.EqualTo(2.0).Within(0.06), "standard error 0.01");
        });
    }

    [Test]
    public void RandomFactories_InvalidParameters_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Tensor.Uniform([2], 1f, 0f), Throws.ArgumentException.With.Message.Contains("low=1").And.Message.Contains("high=0"));
            Assert.That(() => Tensor.Normal([2], 0f, -1f), Throws.ArgumentException.With.Message.Contains("-1"));
        });
    }

    [Test]
    public void RandLikeAndRandnLike_Template_UseItsShape()
    {
        using var template = Tensor.Zeros(3, 2);
        using var a = Tensor.RandLike(template, new Generator(1));
        using var b = Tensor.RandnLike(template, new Generator(1));
        Assert.Multiple(() =>
        {
            Assert.That(a.Shape, Is.EqualTo(new[] { 3, 2 }));
            Assert.That(b.Shape, Is.EqualTo(new[] { 3, 2 }));
        });
    }
}
