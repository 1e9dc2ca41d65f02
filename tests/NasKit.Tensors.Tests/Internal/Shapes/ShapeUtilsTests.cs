using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors.Tests.Internal.Shapes;

/// <summary>Shape arithmetic (ShapeUtils.cs): strides, broadcasting, dimension normalisation, shape inference and view strides.</summary>
public class ShapeUtilsTests
{
    [Test]
    public void ContiguousStrides_RowMajor_TreatingZeroSizesAsOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.ContiguousStrides([2, 3, 4]), Is.EqualTo(new[] { 12, 4, 1 }));
            Assert.That(ShapeUtils.ContiguousStrides([5]), Is.EqualTo(new[] { 1 }));
            Assert.That(ShapeUtils.ContiguousStrides([]), Is.Empty);
            Assert.That(ShapeUtils.ContiguousStrides([2, 0, 3]), Is.EqualTo(new[] { 3, 3, 1 }));
        });
    }

    [Test]
    public void NumelAndValidateShape_VariousShapes_CountOrReject()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.Numel([2, 3, 4]), Is.EqualTo(24));
            Assert.That(ShapeUtils.Numel([]), Is.EqualTo(1));
            Assert.That(ShapeUtils.Numel([3, 0]), Is.Zero);
            Assert.That(() => ShapeUtils.Numel([65536, 65536]), Throws.ArgumentException.With.Message.Contains("4294967296"));
            Assert.That(() => ShapeUtils.ValidateShape([2, -1]), Throws.ArgumentException.With.Message.Contains("dimension 1"));
        });
    }

    [Test]
    public void IsContiguous_SizeOneAndEmptyDims_AreIgnored()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.IsContiguous([2, 3], [3, 1]), Is.True);
            Assert.That(ShapeUtils.IsContiguous([2, 3], [1, 2]), Is.False);
            Assert.That(ShapeUtils.IsContiguous([2, 1, 3], [3, 99, 1]), Is.True);
            Assert.That(ShapeUtils.IsContiguous([2, 3], [6, 2]), Is.False);
            Assert.That(ShapeUtils.IsContiguous([2, 0, 3], [1, 1, 1]), Is.True);
            Assert.That(ShapeUtils.IsContiguous([], []), Is.True);
        });
    }

    [Test]
    public void NormalizeDim_NegativeAndOutOfRange_NormalizesOrThrows()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.NormalizeDim(-1, 3), Is.EqualTo(2));
            Assert.That(ShapeUtils.NormalizeDim(-3, 3), Is.Zero);
            Assert.That(ShapeUtils.NormalizeDim(0, 0), Is.Zero, "a scalar accepts dimension 0 and -1, as PyTorch");
            Assert.That(ShapeUtils.NormalizeDim(-1, 0), Is.Zero);
            Assert.That(() => ShapeUtils.NormalizeDim(3, 3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("[-3, 2]").And.Message.Contains("got 3"));
            Assert.That(() => ShapeUtils.NormalizeDim(-4, 3), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void ReductionMask_NullEmptyOrDuplicateDims_SelectsAllOrThrows()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.ReductionMask(null, 3), Is.EqualTo(new[] { true, true, true }));
            Assert.That(ShapeUtils.ReductionMask([], 2), Is.EqualTo(new[] { true, true }));
            Assert.That(ShapeUtils.ReductionMask([0, -1], 3), Is.EqualTo(new[] { true, false, true }));
            Assert.That(() => ShapeUtils.ReductionMask([1, -2], 3), Throws.ArgumentException.With.Message.Contains("more than once"));
        });
    }

    [TestCase(new[] { 3, 4 }, new[] { 4 }, new[] { 3, 4 })]
    [TestCase(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [TestCase(new int[0], new[] { 2, 3 }, new[] { 2, 3 })]
    [TestCase(new[] { 2, 1, 3 }, new[] { 4, 1 }, new[] { 2, 4, 3 })]
    [TestCase(new[] { 1 }, new[] { 0 }, new[] { 0 })]
    [TestCase(new[] { 5, 1, 1 }, new[] { 1, 6, 1 }, new[] { 5, 6, 1 })]
    public void Broadcast_FollowsNumPyRules_InBothOrders(int[] a, int[] b, int[] expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.Broadcast(a, b), Is.EqualTo(expected));
            Assert.That(ShapeUtils.Broadcast(b, a), Is.EqualTo(expected));
        });
    }

    [Test]
    public void Broadcast_Incompatible_ThrowsNamingBothShapesAndTheDimension()
    {
        Assert.That(() => ShapeUtils.Broadcast([2, 3], [3, 2]),
            Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[3, 2]").And.Message.Contains("dimension 0"));
    }

    [Test]
    public void BroadcastStrides_ExpandedDims_GetZeroStrides()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.BroadcastStrides([3, 1], [1, 1], [2, 3, 4]), Is.EqualTo(new[] { 0, 1, 0 }));
            Assert.That(ShapeUtils.BroadcastStrides([2, 3], [1, 2], [2, 3]), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(() => ShapeUtils.BroadcastStrides([2, 3], [3, 1], [3]), Throws.ArgumentException.With.Message.Contains("smaller rank"));
            Assert.That(() => ShapeUtils.BroadcastStrides([2], [1], [3]), Throws.ArgumentException.With.Message.Contains("[2]").And.Message.Contains("[3]"));
        });
    }

    [Test]
    public void InferShape_MinusOneOrBadTargets_ResolvesOrThrows()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.InferShape([-1, 4], 12, [3, 4]), Is.EqualTo(new[] { 3, 4 }));
            Assert.That(ShapeUtils.InferShape([2, -1, 2], 12, [12]), Is.EqualTo(new[] { 2, 3, 2 }));
            Assert.That(ShapeUtils.InferShape([], 1, [1, 1]), Is.Empty);
            Assert.That(() => ShapeUtils.InferShape([-1, -1], 12, [12]), Throws.ArgumentException.With.Message.Contains("Only one"));
            Assert.That(() => ShapeUtils.InferShape([5, -1], 12, [12]), Throws.ArgumentException.With.Message.Contains("[12]").And.Message.Contains("[5, -1]"));
            Assert.That(() => ShapeUtils.InferShape([0, -1], 0, [0]), Throws.ArgumentException);
            Assert.That(() => ShapeUtils.InferShape([2, -2], 4, [4]), Throws.ArgumentException.With.Message.Contains("-2"));
            Assert.That(() => ShapeUtils.InferShape([5], 12, [3, 4]), Throws.ArgumentException.With.Message.Contains("[3, 4]").And.Message.Contains("[5]"));
        });
    }

    [Test]
    public void ViewStrides_ContiguousTensor_GivesContiguousStrides()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.ViewStrides([2, 3, 4], [12, 4, 1], [6, 4]), Is.EqualTo(new[] { 4, 1 }));
            Assert.That(ShapeUtils.ViewStrides([6, 4], [4, 1], [2, 3, 2, 2]), Is.EqualTo(new[] { 12, 4, 2, 1 }));
            Assert.That(ShapeUtils.ViewStrides([], [], [1, 1]), Is.EqualTo(new[] { 1, 1 }));
        });
    }

    [Test]
    public void ViewStrides_TransposedMerge_IsImpossible()
    {
        // A [3, 4] matrix transposed has shape [4, 3], strides [1, 4]: flattening it needs a copy.
        Assert.Multiple(() =>
        {
            Assert.That(ShapeUtils.ViewStrides([4, 3], [1, 4], [12]), Is.Null);
            Assert.That(ShapeUtils.ViewStrides([4, 3], [1, 4], [2, 2, 3]), Is.EqualTo(new[] { 2, 1, 4 }), "splitting a dimension is always possible");
        });
    }

    [Test]
    public void ViewStrides_SlicedRowsAndSizeOneDims_SplitButDoNotMerge()
    {
        Assert.Multiple(() =>
        {
            // Rows of a [4, 6] matrix taken with step 2: shape [2, 6], strides [12, 1]; the rows can split but not merge.
            Assert.That(ShapeUtils.ViewStrides([2, 6], [12, 1], [2, 2, 3]), Is.EqualTo(new[] { 12, 3, 1 }));
            Assert.That(ShapeUtils.ViewStrides([2, 6], [12, 1], [12]), Is.Null);
            // Inserting and removing size-1 dimensions never needs a copy, whatever the layout.
            Assert.That(ShapeUtils.ViewStrides([4, 3], [1, 4], [4, 1, 3]), Is.Not.Null);
            Assert.That(ShapeUtils.ViewStrides([3, 1, 2], [2, 7, 1], [3, 2]), Is.EqualTo(new[] { 2, 1 }));
            Assert.That(ShapeUtils.ViewStrides([2, 0], [1, 1], [0, 5]), Is.EqualTo(new[] { 5, 1 }));
        });
    }
}
