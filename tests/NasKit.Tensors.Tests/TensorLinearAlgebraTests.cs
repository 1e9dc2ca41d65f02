using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>MatMul, Mm, Bmm and Dot (Tensor.LinearAlgebra.cs): PyTorch matmul semantics, strided operands and gradients.</summary>
public class TensorLinearAlgebraTests
{
    private static readonly object[] s_rankCases =
    [
        new object[] { new[] { 4 }, new[] { 4 }, Array.Empty<int>() },
        new object[] { new[] { 3 }, new[] { 3, 4 }, new[] { 4 } },
        new object[] { new[] { 2, 3 }, new[] { 3 }, new[] { 2 } },
        new object[] { new[] { 2, 3 }, new[] { 3, 4 }, new[] { 2, 4 } },
        new object[] { new[] { 5, 2, 3 }, new[] { 3, 4 }, new[] { 5, 2, 4 } },
        new object[] { new[] { 2, 3 }, new[] { 5, 3, 4 }, new[] { 5, 2, 4 } },
        new object[] { new[] { 5, 2, 3 }, new[] { 5, 3, 4 }, new[] { 5, 2, 4 } },
        new object[] { new[] { 2, 1, 2, 3 }, new[] { 3, 3, 4 }, new[] { 2, 3, 2, 4 } },
        new object[] { new[] { 3 }, new[] { 5, 3, 4 }, new[] { 5, 4 } },
        new object[] { new[] { 5, 2, 3 }, new[] { 3 }, new[] { 5, 2 } },
        new object[] { new[] { 1, 2, 3 }, new[] { 4, 3, 1 }, new[] { 4, 2, 1 } },
    ];

    [TestCaseSource(nameof(s_rankCases))]
    public void MatMul_AllRankCombinations_MatchReferenceAndShape(int[] sa, int[] sb, int[] expectedShape)
    {
        var av = TestData.Uniform(1, TestData.Numel(sa));
        var bv = TestData.Uniform(2, TestData.Numel(sb));
        using var a = Tensor.FromArray(av, sa);
        using var b = Tensor.FromArray(bv, sb);
        using var c = a.MatMul(b);
        Assert.That(c.Shape, Is.EqualTo(expectedShape));
        TensorAssert.Close(c.ToArray(), Reference(av, sa, bv, sb), 1e-5, 1e-6);
    }

    [TestCaseSource(nameof(s_rankCases))]
    public void MatMul_AllRankCombinations_GradientsMatchNumerical(int[] sa, int[] sb, int[] expectedShape)
    {
        using var a = TestData.Tensor(3, sa, requiresGrad: true);
        using var b = TestData.Tensor(4, sb, requiresGrad: true);
        GradientChecker.Check(() => a.MatMul(b), [a, b]);
        using var c = a.MatMul(b);
        Assert.That(c.Shape, Is.EqualTo(expectedShape));
    }

    [Test]
    public void MatMul_TransposedAndStridedViews_MatchContiguousProduct()
    {
        using var a = TestData.Tensor(5, [4, 3]);
        using var b = TestData.Tensor(6, [5, 4]);
        using var wide = TestData.Tensor(7, [3, 10]);
        using var at = a.T;                    // [3, 4], column-major
        using var bt = b.T;                    // [4, 5], column-major
        using var stepped = wide.Slice(1, 0, 10, 2); // [3, 5], row stride 10, column stride 2: must be copied
        using var atc = at.Contiguous();
        using var btc = bt.Contiguous();
        using var steppedc = stepped.Contiguous();
        using var r1 = at.MatMul(bt);
        using var r1c = atc.MatMul(btc);
        using var r2 = stepped.T.MatMul(at);
        using var r2c = steppedc.T.Contiguous().MatMul(atc);
        TensorAssert.Close(r1.ToArray(), r1c.ToArray(), 1e-6, 1e-6);
        TensorAssert.Close(r2.ToArray(), r2c.ToArray(), 1e-6, 1e-6);
    }

    [Test]
    public void MatMul_TransposedViews_GradientsMatchNumerical()
    {
        using var a = TestData.Tensor(8, [4, 3], requiresGrad: true);
        using var b = TestData.Tensor(9, [5, 4], requiresGrad: true);
        using var c = TestData.Tensor(10, [2, 4, 3], requiresGrad: true);
        GradientChecker.Check(() => a.T.MatMul(b.T), [a, b]);
        GradientChecker.Check(() => c.Transpose(1, 2).MatMul(a), [c, a]);
        GradientChecker.Check(() => b.Slice(1, 0, 4, 2).MatMul(a.Slice(0, 1, 4, 2)), [a, b]);
    }

    [Test]
    public void MatMul_SameOperandTwice_GradientsMatchNumerical()
    {
        using var a = TestData.Tensor(11, [3, 3], requiresGrad: true);
        GradientChecker.Check(() => a.MatMul(a), [a]);
        GradientChecker.Check(() => a.MatMul(a.T), [a]);
    }

    [Test]
    public void MmBmmDot_ValidOperands_MatchMatMul()
    {
        using var a = TestData.Tensor(12, [2, 3, 4]);
        using var b = TestData.Tensor(13, [2, 4, 5]);
        using var v = TestData.Tensor(14, [4]);
        using var w = TestData.Tensor(15, [4]);
        using var bmm = a.Bmm(b);
        using var mm = a.MatMul(b);
        using var dot = v.Dot(w);
        var expectedDot = v.ToArray().Zip(w.ToArray(), (x, y) => (double)x * y).Sum();
        TensorAssert.Close(bmm.ToArray(), mm.ToArray(), 0, 0);
        Assert.That(dot.Item(), Is.EqualTo(expectedDot).Within(1e-6));
    }

    [Test]
    public void MatMul_IncompatibleShapes_ThrowWithBothShapes()
    {
        using var a = Tensor.Zeros(2, 3);
        using var b = Tensor.Zeros(4, 5);
        using var c = Tensor.Zeros(2, 3, 4);
        using var d = Tensor.Zeros(3, 4, 5);
        using var s = Tensor.Scalar(1f);
        using var v3 = Tensor.Zeros(3);
        using var v4 = Tensor.Zeros(4);
        Assert.Multiple(() =>
        {
            Assert.That(() => a.MatMul(b), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4, 5]"));
            Assert.That(() => c.MatMul(d), Throws.ArgumentException.With.Message.Contains("[2]").And.Message.Contains("[3]"));
            Assert.That(() => s.MatMul(a), Throws.ArgumentException.With.Message.Contains("rank"));
            Assert.That(() => a.Mm(c), Throws.ArgumentException.With.Message.Contains("[2, 3, 4]"));
            Assert.That(() => c.Bmm(a), Throws.ArgumentException.With.Message.Contains("3-D"));
            Assert.That(() => v3.Dot(v4), Throws.ArgumentException.With.Message.Contains("[3]").And.Message.Contains("[4]"));
        });
    }

    [Test]
    public void MatMul_ZeroInnerDimension_GivesZeros()
    {
        // PyTorch 1.13: torch.zeros(2, 0) @ torch.zeros(0, 3) is a [2, 3] matrix of zeros.
        using var a = Tensor.Zeros(2, 0);
        using var b = Tensor.Zeros(0, 3);
        using var c = a.MatMul(b);
        Assert.That(c.ToArray(), Is.EqualTo(new float[6]));
    }

    /// <summary>Reference matmul in double with PyTorch's 1-D promotion and batch broadcasting.</summary>
    private static float[] Reference(float[] a, int[] sa, float[] b, int[] sb)
    {
        var a2 = sa.Length == 1 ? new[] { 1, sa[0] } : sa;
        var b2 = sb.Length == 1 ? new[] { sb[0], 1 } : sb;
        int n = a2[^2], k = a2[^1], m = b2[^1];
        var batchA = a2[..^2];
        var batchB = b2[..^2];
        var rank = Math.Max(batchA.Length, batchB.Length);
        var batch = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - batchA.Length ? 1 : batchA[i - (rank - batchA.Length)];
            var db = i < rank - batchB.Length ? 1 : batchB[i - (rank - batchB.Length)];
            batch[i] = Math.Max(da, db);
        }

        var count = batch.Aggregate(1, (x, y) => x * y);
        var result = new float[count * n * m];
        for (var bi = 0; bi < count; bi++)
        {
            var idx = new int[rank];
            var rem = bi;
            for (var d = rank - 1; d >= 0; d--)
            {
                idx[d] = rem % batch[d];
                rem /= batch[d];
            }

            var offA = BatchOffset(idx, batchA) * n * k;
            var offB = BatchOffset(idx, batchB) * k * m;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < m; j++)
                {
                    double acc = 0;
                    for (var p = 0; p < k; p++)
                    {
                        acc += (double)a[offA + (i * k) + p] * b[offB + (p * m) + j];
                    }

                    result[(bi * n * m) + (i * m) + j] = (float)acc;
                }
            }
        }

        return result;
    }

    private static int BatchOffset(int[] idx, int[] shape)
    {
        var lead = idx.Length - shape.Length;
        var offset = 0;
        for (var d = 0; d < shape.Length; d++)
        {
            offset = (offset * shape[d]) + (shape[d] == 1 ? 0 : idx[lead + d]);
        }

        return offset;
    }
}
