using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Cat, Stack, Split, Chunk and IndexSelect (Tensor.Joining.cs).</summary>
public class TensorJoiningTests
{
    [Test]
    public void Cat_AlongEachDim_ConcatenatesInOrder()
    {
        using var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        using var b = Tensor.FromArray([5f, 6f], 1, 2);
        using var c = Tensor.FromArray([7f, 8f], 2, 1);
        using var rows = Tensor.Cat([a, b]);
        using var cols = Tensor.Cat([a, c], dim: -1);
        Assert.Multiple(() =>
        {
            Assert.That(rows.Shape, Is.EqualTo(new[] { 3, 2 }));
            Assert.That(rows.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
            Assert.That(cols.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(cols.ToArray(), Is.EqualTo(new[] { 1f, 2f, 7f, 3f, 4f, 8f }));
        });
    }

    [Test]
    public void Cat_MismatchedShapesOrEmptyList_ThrowsWithShapes()
    {
        using var a = Tensor.Zeros(2, 2);
        using var b = Tensor.Zeros(2, 3);
        using var v = Tensor.Zeros(4);
        Assert.Multiple(() =>
        {
            Assert.That(() => Tensor.Cat([a, b]), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[2, 2]"));
            Assert.That(() => Tensor.Cat([a, v]), Throws.ArgumentException.With.Message.Contains("rank"));
            Assert.That(() => Tensor.Cat(Array.Empty<Tensor>()), Throws.ArgumentException);
            Assert.That(() => Tensor.Stack([a, b]), Throws.ArgumentException.With.Message.Contains("[2, 3]"));
        });
    }

    [Test]
    public void Stack_EqualShapes_InsertsANewDimension()
    {
        using var a = Tensor.FromArray([1f, 2f]);
        using var b = Tensor.FromArray([3f, 4f]);
        using var s0 = Tensor.Stack([a, b]);
        using var s1 = Tensor.Stack([a, b], dim: 1);
        Assert.Multiple(() =>
        {
            Assert.That(s0.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
            Assert.That(s1.Shape, Is.EqualTo(new[] { 2, 2 }));
            Assert.That(s1.ToArray(), Is.EqualTo(new[] { 1f, 3f, 2f, 4f }));
        });
    }

    [Test]
    public void SplitAndChunk_UnevenSizes_ProducePyTorchPieces()
    {
        // PyTorch 1.13: torch.arange(10).split(4) -> sizes 4, 4, 2; .chunk(3) -> 4, 4, 2; torch.arange(5).chunk(4) -> 2, 2, 1.
        using var x = Tensor.Arange(10f);
        var split = x.Split(4);
        var chunks = x.Chunk(3);
        var five = Tensor.Arange(5f);
        var small = five.Chunk(4);
        var custom = x.Split([1, 0, 9]);
        Assert.Multiple(() =>
        {
            Assert.That(split.Select(t => t.Size(0)), Is.EqualTo(new[] { 4, 4, 2 }));
            Assert.That(split[2].ToArray(), Is.EqualTo(new[] { 8f, 9f }));
            Assert.That(chunks.Select(t => t.Size(0)), Is.EqualTo(new[] { 4, 4, 2 }));
            Assert.That(small.Select(t => t.Size(0)), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(custom.Select(t => t.Size(0)), Is.EqualTo(new[] { 1, 0, 9 }));
            Assert.That(() => x.Split([3, 3]), Throws.ArgumentException.With.Message.Contains("10"));
        });
        split[0].FillInPlace(-1f);
        Assert.That(x.ToArray().Take(5), Is.EqualTo(new[] { -1f, -1f, -1f, -1f, 4f }), "split pieces are views");
        foreach (var t in split.Concat(chunks).Concat(small).Concat(custom))
        {
            t.Dispose();
        }

        five.Dispose();
    }

    [Test]
    public void IndexSelect_RepeatedAndNegativeIndices_Gathers()
    {
        using var x = Tensor.Arange(12f).Reshape(3, 4);
        using var rows = x.IndexSelect(0, [2, 0, 2, -1]);
        using var cols = x.IndexSelect(1, Tensor.FromArray([3f, 3f]));
        Assert.Multiple(() =>
        {
            Assert.That(rows.Shape, Is.EqualTo(new[] { 4, 4 }));
            Assert.That(rows.ToArray().Take(8), Is.EqualTo(new[] { 8f, 9f, 10f, 11f, 0f, 1f, 2f, 3f }));
            Assert.That(cols.ToArray(), Is.EqualTo(new[] { 3f, 3f, 7f, 7f, 11f, 11f }));
            Assert.That(() => x.IndexSelect(0, [3]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("size 3"));
            Assert.That(() => x.IndexSelect(0, Tensor.FromArray([0.5f])), Throws.ArgumentException.With.Message.Contains("0.5"));
        });
    }

    [Test]
    public void Cat_MixedLayouts_GradientsMatchNumerical()
    {
        using var a = TestData.Tensor(1, [2, 3], requiresGrad: true);
        using var b = TestData.Tensor(2, [2, 1], requiresGrad: true);
        using var c = TestData.Tensor(3, [2, 2]);
        GradientChecker.Check(() => Tensor.Cat([a, b, c], 1), [a, b]);
        GradientChecker.Check(() => Tensor.Cat([a.T, b.T]), [a, b]);
    }

    [Test]
    public void Stack_RepeatedInput_GradientsMatchNumerical()
    {
        using var a = TestData.Tensor(4, [3, 2], requiresGrad: true);
        using var b = TestData.Tensor(5, [3, 2], requiresGrad: true);
        GradientChecker.Check(() => Tensor.Stack([a, b, a], 1), [a, b]);
    }

    [Test]
    public void SplitAndChunk_PiecesUsed_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(6, [5, 3], requiresGrad: true);
        using var w = TestData.Tensor(7, [2, 3]);
        GradientChecker.Check(() => x.Split(2)[2].Add(x.Split(2)[0].Mul(w).Sum(0)), [x]);
        GradientChecker.Check(() => x.Chunk(2, 0)[1].Mul(3f), [x], requireSignal: true);
        GradientChecker.Check(() => x.Split([1, 2], 1)[1], [x]);
    }

    [Test]
    public void IndexSelect_RepeatedIndices_GradientsAccumulate()
    {
        using var x = TestData.Tensor(8, [4, 3], requiresGrad: true);
        GradientChecker.Check(() => x.IndexSelect(0, [1, 3, 1, 1, 0]), [x], requireSignal: true);
        GradientChecker.Check(() => x.IndexSelect(1, [2, 2, 0]), [x]);
        using var y = x.IndexSelect(0, [1, 1, 1]);
        using var s = y.Sum();
        s.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f, 3f, 3f, 3f, 0f, 0f, 0f, 0f, 0f, 0f }));
    }
}
