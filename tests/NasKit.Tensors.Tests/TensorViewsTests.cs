using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Views, reshaping and indexing (Tensor.Views.cs, TensorIndex.cs): values, storage sharing, errors and gradients.</summary>
public class TensorViewsTests
{
    // ---- storage sharing -----------------------------------------------------------------------------------

    [Test]
    public void View_WritingThroughTheView_IsVisibleInTheBase()
    {
        using var x = Tensor.Arange(6f);
        using var v = x.View(2, 3);
        using var row = v.Select(0, 1);
        row.FillInPlace(-1f);
        Assert.Multiple(() =>
        {
            Assert.That(x.ToArray(), Is.EqualTo(new[] { 0f, 1f, 2f, -1f, -1f, -1f }));
            Assert.That(v.StorageOffset, Is.Zero);
            Assert.That(row.StorageOffset, Is.EqualTo(3));
        });
    }

    [Test]
    public void Permute_WriteThroughTheView_SharesStorageWithPermutedStrides()
    {
        using var x = Tensor.Arange(24f).Reshape(2, 3, 4);
        using var p = x.Permute(2, 0, 1);
        using var first = p.Select(0, 0);
        first.FillInPlace(100f);
        Assert.Multiple(() =>
        {
            Assert.That(p.Shape, Is.EqualTo(new[] { 4, 2, 3 }));
            Assert.That(p.Strides, Is.EqualTo(new[] { 1, 12, 4 }));
            Assert.That(p.IsContiguous, Is.False);
            Assert.That(x.ToArray().Where((_, i) => i % 4 == 0), Is.All.EqualTo(100f));
            Assert.That(x.ToArray().Where((_, i) => i % 4 != 0), Has.None.EqualTo(100f));
        });
    }

    [Test]
    public void Contiguous_OnNonContiguous_CopiesInRowMajorOrder()
    {
        using var x = Tensor.Arange(6f).Reshape(2, 3);
        using var t = x.Transpose(0, 1);
        using var c = t.Contiguous();
        c.FillInPlace(0f);
        Assert.Multiple(() =>
        {
            Assert.That(t.ToArray(), Is.EqualTo(new[] { 0f, 3f, 1f, 4f, 2f, 5f }), "transpose reads column-major");
            Assert.That(c.IsContiguous, Is.True);
            Assert.That(x.ToArray(), Is.EqualTo(new[] { 0f, 1f, 2f, 3f, 4f, 5f }), "the copy does not alias the base");
        });
    }

    [Test]
    public void Contiguous_OnContiguous_ReturnsANewObjectSharingStorage()
    {
        using var x = Tensor.Arange(4f);
        using var c = x.Contiguous();
        c.FillInPlace(2f);
        Assert.Multiple(() =>
        {
            Assert.That(c, Is.Not.SameAs(x));
            Assert.That(x.ToArray(), Is.All.EqualTo(2f));
        });
    }

    [Test]
    public void Clone_WriteToTheCopy_LeavesTheOriginal()
    {
        using var x = Tensor.Arange(4f);
        using var c = x.Clone();
        c.FillInPlace(9f);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 0f, 1f, 2f, 3f }));
    }

    // ---- View versus Reshape -------------------------------------------------------------------------------

    [Test]
    public void View_OnTransposedTensor_ThrowsWithBothShapes()
    {
        using var x = Tensor.Arange(12f).Reshape(3, 4);
        using var t = x.T;
        Assert.That(() => t.View(12), Throws.InvalidOperationException
            .With.Message.Contains("[4, 3]").And.Message.Contains("[12]").And.Message.Contains("Reshape"));
    }

    [Test]
    public void Reshape_OnTransposedTensor_CopiesTheValuesInLogicalOrder()
    {
        using var x = Tensor.Arange(12f).Reshape(3, 4);
        using var t = x.T;
        using var r = t.Reshape(-1);
        r.FillInPlace(0f);
        Assert.Multiple(() =>
        {
            using var again = t.Reshape(12);
            Assert.That(again.ToArray(), Is.EqualTo(new[] { 0f, 4f, 8f, 1f, 5f, 9f, 2f, 6f, 10f, 3f, 7f, 11f }));
            Assert.That(x.ToArray()[11], Is.EqualTo(11f), "a copying reshape must not alias the base");
        });
    }

    [Test]
    public void View_OnSlicedTensorWhoseLayoutAllows_IsAView()
    {
        // Rows 1..3 of a [4, 6] matrix are contiguous chunks: viewing [2, 6] as [2, 2, 3] needs no copy.
        using var x = Tensor.Arange(24f).Reshape(4, 6);
        using var rows = x.Slice(0, 1, 3);
        using var v = rows.View(2, 2, 3);
        v.FillInPlace(-5f);
        Assert.That(x.ToArray().Count(f => f == -5f), Is.EqualTo(12));
    }

    [Test]
    public void Reshape_WrongElementCountOrTwoInferred_ThrowsWithShapes()
    {
        using var x = Tensor.Zeros(2, 3);
        Assert.Multiple(() =>
        {
            Assert.That(() => x.Reshape(4, 2), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4, 2]"));
            Assert.That(() => x.Reshape(-1, -1), Throws.ArgumentException.With.Message.Contains("-1"));
            Assert.That(() => x.Reshape(4, -1), Throws.ArgumentException.With.Message.Contains("[4, -1]"));
        });
    }

    [Test]
    public void SqueezeUnsqueezeFlatten_VariousDims_ProduceTheDocumentedShapes()
    {
        using var x = Tensor.Zeros(2, 1, 3, 1);
        using var s = x.Squeeze();
        using var s1 = x.Squeeze(1);
        using var s2 = x.Squeeze(2);
        using var u = x.Unsqueeze(-1);
        using var f = x.Flatten(1);
        using var f2 = x.Flatten(0, 2);
        using var uf = f.Unflatten(1, 3, -1);
        using var scalar = Tensor.Scalar(3f);
        using var fs = scalar.Flatten();
        Assert.Multiple(() =>
        {
            Assert.That(s.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(s1.Shape, Is.EqualTo(new[] { 2, 3, 1 }));
            Assert.That(s2.Shape, Is.EqualTo(new[] { 2, 1, 3, 1 }));
            Assert.That(u.Shape, Is.EqualTo(new[] { 2, 1, 3, 1, 1 }));
            Assert.That(f.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(f2.Shape, Is.EqualTo(new[] { 6, 1 }));
            Assert.That(uf.Shape, Is.EqualTo(new[] { 2, 3, 1 }));
            Assert.That(fs.Shape, Is.EqualTo(new[] { 1 }));
        });
    }

    [Test]
    public void Expand_SizeOneAndNewDims_BroadcastsWithoutCopying()
    {
        using var x = Tensor.FromArray([1f, 2f, 3f], 3, 1);
        using var e = x.Expand(2, -1, 4);
        Assert.Multiple(() =>
        {
            Assert.That(e.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
            Assert.That(e.Strides, Is.EqualTo(new[] { 0, 1, 0 }));
            Assert.That(e.ToArray().Take(12), Is.EqualTo(new[] { 1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 3f, 3f, 3f, 3f }));
            Assert.That(() => x.Expand(2, 4), Throws.ArgumentException.With.Message.Contains("[3, 1]").And.Message.Contains("[2, 4]"));
        });
    }

    [Test]
    public void Slice_WithStepAndNegativeBounds_SelectsPythonStylePositions()
    {
        using var x = Tensor.Arange(10f);
        using var a = x.Slice(0, 1, 8, 3);
        using var b = x.Slice(0, -4, -1);
        using var c = x.Slice(0, 5, 100, 2);
        using var d = x.Slice(0, 7, 3);
        Assert.Multiple(() =>
        {
            Assert.That(a.ToArray(), Is.EqualTo(new[] { 1f, 4f, 7f }));
            Assert.That(b.ToArray(), Is.EqualTo(new[] { 6f, 7f, 8f }));
            Assert.That(c.ToArray(), Is.EqualTo(new[] { 5f, 7f, 9f }));
            Assert.That(d.Shape, Is.EqualTo(new[] { 0 }));
        });
    }

    [Test]
    public void NarrowSelectPermute_InvalidArguments_ThrowWithTheValues()
    {
        using var x = Tensor.Zeros(3, 4);
        Assert.Multiple(() =>
        {
            Assert.That(() => x.Narrow(1, 2, 3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("size 4"));
            Assert.That(() => x.Select(0, 3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("3").And.Message.Contains("size 3"));
            Assert.That(() => x.Select(2, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => x.Permute(0, 0), Throws.ArgumentException.With.Message.Contains("permutation"));
            Assert.That(() => x.Permute(0), Throws.ArgumentException.With.Message.Contains("[3, 4]"));
        });
    }

    [Test]
    public void T_OnRank3_ThrowsAndOnMatrixTransposes()
    {
        using var m = Tensor.Arange(6f).Reshape(2, 3);
        using var mt = m.T;
        using var x = Tensor.Zeros(2, 2, 2);
        Assert.Multiple(() =>
        {
            Assert.That(mt.Shape, Is.EqualTo(new[] { 3, 2 }));
            Assert.That(() => x.T, Throws.InvalidOperationException.With.Message.Contains("[2, 2, 2]"));
        });
    }

    // ---- indexer -------------------------------------------------------------------------------------------

    [Test]
    public void Indexer_PositionsRangesAndFromEnd_SelectLikePython()
    {
        using var x = Tensor.Arange(24f).Reshape(2, 3, 4);
        using var a = x[1];
        using var b = x[^1, 0];
        using var c = x[-1, 1..3, ^2];
        using var d = x[.., 2];
        using var e = x[0, .., 1..];
        Assert.Multiple(() =>
        {
            Assert.That(a.Shape, Is.EqualTo(new[] { 3, 4 }));
            Assert.That(a.ToArray()[0], Is.EqualTo(12f));
            Assert.That(b.ToArray(), Is.EqualTo(new[] { 12f, 13f, 14f, 15f }));
            Assert.That(c.ToArray(), Is.EqualTo(new[] { 18f, 22f }));
            Assert.That(d.Shape, Is.EqualTo(new[] { 2, 4 }));
            Assert.That(d.ToArray(), Is.EqualTo(new[] { 8f, 9f, 10f, 11f, 20f, 21f, 22f, 23f }));
            Assert.That(e.Shape, Is.EqualTo(new[] { 3, 3 }));
            Assert.That(e.ToArray()[0], Is.EqualTo(1f));
        });
    }

    [Test]
    public void Indexer_EllipsisNewAxisAndStep_SelectLikePython()
    {
        using var x = Tensor.Arange(24f).Reshape(2, 3, 4);
        using var a = x[TensorIndex.Ellipsis, 1];
        using var b = x[TensorIndex.NewAxis, 1];
        using var c = x[0, TensorIndex.Ellipsis, TensorIndex.NewAxis];
        using var d = x[TensorIndex.Ellipsis, TensorIndex.Slice(.., 2)];
        using var e = x[1, TensorIndex.Ellipsis, 2, 3];
        using var f = x[TensorIndex.Ellipsis];
        Assert.Multiple(() =>
        {
            Assert.That(a.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(a.ToArray(), Is.EqualTo(new[] { 1f, 5f, 9f, 13f, 17f, 21f }));
            Assert.That(b.Shape, Is.EqualTo(new[] { 1, 3, 4 }));
            Assert.That(b.ToArray()[0], Is.EqualTo(12f));
            Assert.That(c.Shape, Is.EqualTo(new[] { 3, 4, 1 }));
            Assert.That(d.Shape, Is.EqualTo(new[] { 2, 3, 2 }));
            Assert.That(d.ToArray().Take(4), Is.EqualTo(new[] { 0f, 2f, 4f, 6f }));
            Assert.That(e.Shape, Is.Empty);
            Assert.That(e.Item(), Is.EqualTo(23f));
            Assert.That(f, Is.Not.SameAs(x));
            Assert.That(f.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        });
    }

    [Test]
    public void Indexer_TooManyIndicesOrTwoEllipses_Throws()
    {
        using var x = Tensor.Zeros(2, 3);
        Assert.Multiple(() =>
        {
            Assert.That(() => x[0, 0, 0], Throws.ArgumentException.With.Message.Contains("[2, 3]"));
            Assert.That(() => x[TensorIndex.Ellipsis, TensorIndex.Ellipsis], Throws.ArgumentException.With.Message.Contains("ellipsis"));
            Assert.That(() => x[2], Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void IndexerSetter_BroadcastableValue_CopiesIntoTheView()
    {
        using var x = Tensor.Zeros(3, 4);
        using var row = Tensor.FromArray([1f, 2f, 3f, 4f]);
        using var five = Tensor.Scalar(5f);
        x[1] = row;
        x[.., ^1] = five;
        x[0, TensorIndex.Slice(0..4, 2)] = Tensor.FromArray([7f, 8f]);
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 7f, 0f, 8f, 5f, 1f, 2f, 3f, 5f, 0f, 0f, 0f, 5f }));
    }

    [Test]
    public void IndexerSetter_OverlappingSourceFromSameStorage_ReadsASnapshot()
    {
        using var x = Tensor.Arange(5f);
        using var src = x[0..4];
        x[1..5] = src;
        Assert.That(x.ToArray(), Is.EqualTo(new[] { 0f, 0f, 1f, 2f, 3f }));
    }

    [Test]
    public void TensorIndex_EqualityAndToString_FollowPythonSyntax()
    {
        TensorIndex a = 1..3;
        var b = TensorIndex.Slice(1..3);
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a == b, Is.True);
            Assert.That(((TensorIndex)(-2)).ToString(), Is.EqualTo("-2"));
            Assert.That(TensorIndex.Ellipsis.ToString(), Is.EqualTo("..."));
            Assert.That(TensorIndex.Slice(.., 2).ToString(), Does.EndWith(":2"));
            Assert.That(() => TensorIndex.Slice(.., 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    // ---- gradients -----------------------------------------------------------------------------------------

    [Test]
    public void ReshapeViewFlattenSqueeze_ContiguousInput_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(1, [2, 1, 3, 2], requiresGrad: true);
        GradientChecker.Check(() => x.Reshape(3, 4), [x]);
        GradientChecker.Check(() => x.View(-1, 2), [x]);
        GradientChecker.Check(() => x.Flatten(1).Mul(x.Flatten(1)), [x]);
        GradientChecker.Check(() => x.Squeeze().Unsqueeze(0), [x]);
        GradientChecker.Check(() => x.Squeeze(1).Unflatten(1, 1, 3), [x]);
    }

    [Test]
    public void PermuteTranspose_FollowedByReshape_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(2, [2, 3, 4], requiresGrad: true);
        using var w = TestData.Tensor(3, [4, 2, 3]);
        GradientChecker.Check(() => x.Permute(2, 0, 1).Mul(w), [x]);
        GradientChecker.Check(() => x.Transpose(0, 2).Reshape(-1), [x]);
        GradientChecker.Check(() => x.Transpose(-1, -2).Contiguous().View(2, 12), [x]);
    }

    [Test]
    public void Expand_BroadcastDims_GradientSumsOverThem()
    {
        using var x = TestData.Tensor(4, [3, 1], requiresGrad: true);
        GradientChecker.Check(() => x.Expand(2, 3, 4), [x]);
        using var y = TestData.Tensor(5, [1, 3], requiresGrad: true);
        using var other = Tensor.Zeros(4, 3);
        GradientChecker.Check(() => y.ExpandAs(other), [y]);
    }

    [Test]
    public void NarrowSliceSelect_StepsAndNegativeBounds_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(6, [4, 7], requiresGrad: true);
        GradientChecker.Check(() => x.Narrow(1, 2, 3), [x], requireSignal: true);
        GradientChecker.Check(() => x.Slice(1, 1, 7, 2), [x]);
        GradientChecker.Check(() => x.Slice(0, -3, 100, 2), [x]);
        GradientChecker.Check(() => x.Select(1, -1), [x]);
        GradientChecker.Check(() => x.Select(0, 2).Add(x.Select(0, 2)), [x]);
    }

    [Test]
    public void Slice_GradientOutsideTheSlice_IsExactlyZero()
    {
        using var x = TestData.Tensor(7, [6], requiresGrad: true);
        using var s = x.Slice(0, 1, 6, 2);
        using var sum = s.Sum();
        sum.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 1f, 0f, 1f, 0f, 1f }));
    }

    [Test]
    public void Indexer_RangesEllipsisNewAxis_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(8, [3, 4, 5], requiresGrad: true);
        GradientChecker.Check(() => x[1, 1..3], [x]);
        GradientChecker.Check(() => x[TensorIndex.Ellipsis, ^1], [x]);
        GradientChecker.Check(() => x[TensorIndex.NewAxis, .., 0, TensorIndex.Slice(1.., 2)], [x]);
    }

    [Test]
    public void ContiguousAndClone_AnyLayout_GradientsPassThrough()
    {
        using var x = TestData.Tensor(9, [3, 4], requiresGrad: true);
        GradientChecker.Check(() => x.T.Contiguous(), [x]);
        GradientChecker.Check(() => x.Clone().Mul(x), [x]);
    }
}
