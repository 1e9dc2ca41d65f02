using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Reductions, softmax and their gradients (Tensor.Reductions.cs).</summary>
public class TensorReductionsTests
{
    private static readonly object[] s_dimCases =
    [
        new object[] { new[] { 0 }, false },
        new object[] { new[] { 1 }, true },
        new object[] { new[] { -1 }, false },
        new object[] { new[] { 0, 2 }, true },
        new object[] { new[] { 0, 2 }, false },
        new object[] { new[] { 1, 2 }, false },
        new object[] { new[] { 0, 1, 2 }, true },
    ];

    // ---- forward values against LINQ -----------------------------------------------------------------------

    [TestCaseSource(nameof(s_dimCases))]
    public void SumMean_OverDims_MatchLinq(int[] dims, bool keepDim)
    {
        int[] shape = [3, 4, 5];
        var data = TestData.Uniform(1, 60);
        using var x = Tensor.FromArray(data, shape);
        using var sum = x.Sum(dims, keepDim);
        using var mean = x.Mean(dims, keepDim);
        var (expectedShape, groups) = Groups(shape, dims, keepDim, data);
        Assert.Multiple(() =>
        {
            Assert.That(sum.Shape, Is.EqualTo(expectedShape));
            Assert.That(mean.Shape, Is.EqualTo(expectedShape));
        });
        TensorAssert.Close(sum.ToArray(), groups.Select(g => (float)g.Sum(v => (double)v)).ToArray(), 1e-5, 1e-5);
        TensorAssert.Close(mean.ToArray(), groups.Select(g => (float)g.Average(v => (double)v)).ToArray(), 1e-5, 1e-6);
    }

    [Test]
    public void Sum_OnNonContiguousInput_MatchesContiguousResult()
    {
        using var x = TestData.Tensor(2, [4, 6]);
        using var t = x.T;
        using var c = t.Contiguous();
        using var a = t.Sum(1);
        using var b = c.Sum(1);
        TensorAssert.Close(a.ToArray(), b.ToArray(), 1e-6, 1e-6);
    }

    [Test]
    public void Sum_LongVector_IsAccurate()
    {
        // 100 003 copies of 0.1f: sequential float accumulation ends at 9998.855 (1.4e-4 relative error); the engine sums
        // float blocks and accumulates the block sums in double, which must stay well inside 1e-5.
        var n = 100_003;
        using var x = Tensor.Full([n], 0.1f);
        using var s = x.Sum();
        Assert.That(s.Item(), Is.EqualTo(n * (double)0.1f).Within(1e-3).Percent);
    }

    [Test]
    public void Reductions_OfEmptyTensors_FollowPyTorch()
    {
        // PyTorch 1.13: torch.zeros(0).sum() = 0, .mean() = nan, .max() raises; torch.zeros(2, 0).sum(1) = [0, 0].
        using var e = Tensor.Zeros(0);
        using var e2 = Tensor.Zeros(2, 0);
        using var sum = e.Sum();
        using var mean = e.Mean();
        using var rowSums = e2.Sum(1);
        using var rowMeans = e2.Mean(1);
        using var colSums = e2.Sum(0);
        Assert.Multiple(() =>
        {
            Assert.That(sum.Item(), Is.Zero);
            Assert.That(mean.Item(), Is.NaN);
            Assert.That(rowSums.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
            Assert.That(rowMeans.ToArray(), Is.All.NaN);
            Assert.That(colSums.Shape, Is.EqualTo(new[] { 0 }));
            Assert.That(() => e.Max(), Throws.InvalidOperationException.With.Message.Contains("empty"));
            Assert.That(() => e2.Max(1), Throws.InvalidOperationException.With.Message.Contains("size 0"));
        });
    }

    [Test]
    public void MaxMin_NaNElement_PropagatesNaN()
    {
        using var x = Tensor.FromArray([1f, float.NaN, 3f, 4f, 5f, 6f], 2, 3);
        using var max = x.Max();
        using var min = x.Min();
        var byRow = x.Max(1);
        var byCol = x.Min(0);
        Assert.Multiple(() =>
        {
            Assert.That(max.Item(), Is.NaN);
            Assert.That(min.Item(), Is.NaN);
            Assert.That(byRow.Values.ToArray()[0], Is.NaN);
            Assert.That(byRow.Values.ToArray()[1], Is.EqualTo(6f));
            Assert.That(byRow.Indices.ToArray()[0], Is.EqualTo(1f), "the index of the NaN");
            Assert.That(byCol.Values.ToArray(), Is.EqualTo(new[] { 1f, float.NaN, 3f }));
        });
        byRow.Values.Dispose();
        byRow.Indices.Dispose();
        byCol.Values.Dispose();
        byCol.Indices.Dispose();
    }

    [Test]
    public void MaxMinAlongDim_ValuesAndIndices_MatchLinq([Values(0, 1, 2)] int dim, [Values] bool keepDim)
    {
        int[] shape = [3, 4, 5];
        var data = TestData.Uniform(3, 60);
        using var x = Tensor.FromArray(data, shape);
        var max = x.Max(dim, keepDim);
        var min = x.Min(dim, keepDim);
        var (expectedShape, groups) = Groups(shape, [dim], keepDim, data);
        Assert.Multiple(() =>
        {
            Assert.That(max.Values.Shape, Is.EqualTo(expectedShape));
            Assert.That(max.Values.ToArray(), Is.EqualTo(groups.Select(g => g.Max()).ToArray()));
            Assert.That(max.Indices.ToArray(), Is.EqualTo(groups.Select(g => (float)Array.IndexOf(g, g.Max())).ToArray()));
            Assert.That(min.Values.ToArray(), Is.EqualTo(groups.Select(g => g.Min()).ToArray()));
            Assert.That(min.Indices.ToArray(), Is.EqualTo(groups.Select(g => (float)Array.IndexOf(g, g.Min())).ToArray()));
        });
        foreach (var t in new[] { max.Values, max.Indices, min.Values, min.Indices })
        {
            t.Dispose();
        }
    }

    [Test]
    public void ArgMax_Ties_ReturnTheFirstOccurrence()
    {
        using var x = Tensor.FromArray([1f, 5f, 5f, 0f, 2f, 2f, 2f, -1f], 2, 4);
        using var flat = x.ArgMax();
        using var rows = x.ArgMax(1);
        using var cols = x.ArgMin(0);
        using var colsKeep = x.ArgMax(0, keepDim: true);
        Assert.Multiple(() =>
        {
            Assert.That(flat.Item(), Is.EqualTo(1f));
            Assert.That(rows.ToArray(), Is.EqualTo(new[] { 1f, 0f }));
            Assert.That(cols.ToArray(), Is.EqualTo(new[] { 0f, 1f, 1f, 1f }));
            Assert.That(colsKeep.Shape, Is.EqualTo(new[] { 1, 4 }));
            Assert.That(colsKeep.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 0f }));
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void VarStd_WithCorrection_MatchManualComputation(int correction)
    {
        int[] shape = [4, 6];
        var data = TestData.Uniform(4, 24);
        using var x = Tensor.FromArray(data, shape);
        using var varAll = x.Var(correction: correction);
        using var stdRows = x.Std([1], correction: correction, keepDim: true);
        using var varCols = x.Var([0], correction: correction);
        static double Var(IEnumerable<float> v, int c)
        {
            var a = v.Select(f => (double)f).ToArray();
            var m = a.Average();
            return a.Sum(d => (d - m) * (d - m)) / (a.Length - c);
        }

        var rows = Enumerable.Range(0, 4).Select(r => (float)Math.Sqrt(Var(data.Skip(r * 6).Take(6), correction))).ToArray();
        var cols = Enumerable.Range(0, 6).Select(c => (float)Var(Enumerable.Range(0, 4).Select(r => data[(r * 6) + c]), correction)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(varAll.Item(), Is.EqualTo(Var(data, correction)).Within(1e-5).Percent);
            Assert.That(stdRows.Shape, Is.EqualTo(new[] { 4, 1 }));
        });
        TensorAssert.Close(stdRows.ToArray(), rows, 1e-5, 1e-7);
        TensorAssert.Close(varCols.ToArray(), cols, 1e-5, 1e-7);
    }

    [Test]
    public void LogSumExp_LargeValues_IsStable()
    {
        using var x = Tensor.FromArray([1000f, 1000f, 999f, -5f, -6f, -7f], 2, 3);
        using var r = x.LogSumExp([1]);
        var expected0 = 1000 + Math.Log(2 + Math.Exp(-1));
        var expected1 = -5 + Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        TensorAssert.Close(r.ToArray(), [(float)expected0, (float)expected1], 1e-6, 1e-5);
    }

    [TestCase(0f)]
    [TestCase(1f)]
    [TestCase(2f)]
    [TestCase(3f)]
    [TestCase(float.PositiveInfinity)]
    public void Norm_EachOrder_MatchesManualComputation(float p)
    {
        var data = TestData.Uniform(5, 12);
        data[3] = 0f;
        using var x = Tensor.FromArray(data, 3, 4);
        using var all = x.Norm(p);
        using var rows = x.Norm(p, [1]);
        static double Norm(IEnumerable<float> v, float p) => p switch
        {
            0f => v.Count(f => f != 0f),
            float.PositiveInfinity => v.Max(f => Math.Abs(f)),
            _ => Math.Pow(v.Sum(f => Math.Pow(Math.Abs(f), p)), 1.0 / p),
        };

        Assert.That(all.Item(), Is.EqualTo(Norm(data, p)).Within(1e-5).Percent);
        TensorAssert.Close(rows.ToArray(), Enumerable.Range(0, 3).Select(r => (float)Norm(data.Skip(r * 4).Take(4), p)).ToArray(), 1e-5, 1e-7);
    }

    [Test]
    public void Norm_NegativeOrder_Throws()
    {
        using var x = Tensor.Ones(3);
        Assert.That(() => x.Norm(-1f), Throws.ArgumentException.With.Message.Contains("-1"));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void SoftmaxLogSoftmax_EachDim_MatchManualComputation(int dim)
    {
        int[] shape = [2, 3, 4];
        var data = TestData.Uniform(6, 24, -3f, 3f);
        using var x = Tensor.FromArray(data, shape);
        using var sm = x.Softmax(dim);
        using var lsm = x.LogSoftmax(dim);
        var expected = new float[24];
        var expectedLog = new float[24];
        var strides = new[] { 12, 4, 1 };
        for (var i = 0; i < 24; i++)
        {
            var idx = new[] { i / 12, i / 4 % 3, i % 4 };
            var members = Enumerable.Range(0, shape[dim]).Select(k => i + ((k - idx[dim]) * strides[dim])).ToArray();
            var denominator = members.Sum(m => Math.Exp(data[m]));
            expected[i] = (float)(Math.Exp(data[i]) / denominator);
            expectedLog[i] = (float)(data[i] - Math.Log(denominator));
        }

        TensorAssert.Close(sm.ToArray(), expected, 1e-5, 1e-7);
        TensorAssert.Close(lsm.ToArray(), expectedLog, 1e-5, 1e-6);
    }

    [Test]
    public void Softmax_AllNegativeInfinityRow_GivesNaNAsPyTorch()
    {
        // PyTorch 1.13: torch.softmax(torch.full((3,), -inf), 0) = [nan, nan, nan].
        using var x = Tensor.FromArray([float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 0f, 0f, 0f], 2, 3);
        using var sm = x.Softmax(1);
        var v = sm.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(v.Take(3), Is.All.NaN);
            Assert.That(v.Skip(3), Is.All.EqualTo(1f / 3f).Within(1e-6));
        });
    }

    // ---- gradients -----------------------------------------------------------------------------------------

    [TestCaseSource(nameof(s_dimCases))]
    public void SumMean_OverDims_GradientsMatchNumerical(int[] dims, bool keepDim)
    {
        using var x = TestData.Tensor(7, [3, 4, 5], requiresGrad: true);
        GradientChecker.Check(() => x.Sum(dims, keepDim), [x]);
        GradientChecker.Check(() => x.Mean(dims, keepDim), [x], atol: 2e-4); // the mean's gradient is w/N: small but exact
    }

    [Test]
    public void SumMean_AllDimsAndTransposed_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(8, [2, 3], requiresGrad: true);
        GradientChecker.Check(() => x.Sum(), [x]);
        GradientChecker.Check(() => x.Mean(), [x]);
        GradientChecker.Check(() => x.T.Sum(0, keepDim: true), [x]);
    }

    [Test]
    public void MaxMin_DistinctValues_GradientsMatchNumerical([Values(0, 1, -1)] int dim, [Values] bool keepDim)
    {
        using var x = TestData.Distinct(9, [3, 4, 5]);
        GradientChecker.Check(() => x.Max(dim, keepDim).Values, [x]);
        GradientChecker.Check(() => x.Min(dim, keepDim).Values, [x]);
    }

    [Test]
    public void MaxMinAll_DistinctValues_GradientsMatchNumerical()
    {
        using var x = TestData.Distinct(10, [3, 4]);
        GradientChecker.Check(() => x.Max(), [x]);
        GradientChecker.Check(() => x.Min(), [x]);
    }

    [Test]
    public void MaxAll_Ties_ShareTheGradientEqually()
    {
        using var x = Tensor.FromArray([1f, 3f, 3f, 2f, 3f, 0f]).WithRequiresGrad();
        using var m = x.Max();
        m.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 1f / 3f, 1f / 3f, 0f, 1f / 3f, 0f }).Within(1e-7));
    }

    [Test]
    public void MaxAlongDim_Ties_SendTheGradientToTheReportedIndex()
    {
        // PyTorch 1.13: max(dim) backward routes the gradient to the returned index only.
        using var x = Tensor.FromArray([2f, 2f, 1f]).WithRequiresGrad();
        var r = x.Max(0);
        r.Values.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f }));
        r.Values.Dispose();
        r.Indices.Dispose();
    }

    [Test]
    public void VarStd_WithCorrection_GradientsMatchNumerical([Values(0, 1, 2)] int correction)
    {
        using var x = TestData.Tensor(11, [3, 5], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => x.Var(correction: correction), [x]);
        GradientChecker.Check(() => x.Var([1], correction, keepDim: true), [x]);
        GradientChecker.Check(() => x.Std([0], correction), [x]);
        GradientChecker.Check(() => x.Std(correction: correction), [x]);
    }

    [Test]
    public void Var_OverNonAdjacentDims_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(12, [3, 2, 4], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => x.Var([0, 2]), [x]);
        GradientChecker.Check(() => x.Var([0, 2], 0, keepDim: true), [x]);
    }

    [Test]
    public void LogSumExp_VariousDims_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(13, [3, 4, 2], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => x.LogSumExp(), [x]);
        GradientChecker.Check(() => x.LogSumExp([1]), [x]);
        GradientChecker.Check(() => x.LogSumExp([0, 2], keepDim: true), [x]);
    }

    [TestCase(1f)]
    [TestCase(2f)]
    [TestCase(3f)]
    public void Norm_AwayFromZero_GradientsMatchNumerical(float p)
    {
        using var x = TestData.AwayFromKinks(14, [3, 4], -2f, 2f, [0f], margin: 0.2f);
        GradientChecker.Check(() => x.Norm(p), [x]);
        GradientChecker.Check(() => x.Norm(p, [1]), [x]);
        GradientChecker.Check(() => x.Norm(p, [0], keepDim: true), [x]);
    }

    [Test]
    public void NormInfinity_DistinctMagnitudes_GradientsMatchNumerical()
    {
        // Magnitudes 0.15, 0.25, ... with random signs: the maximum |x| is unique and far from ties.
        var magnitudes = TestData.DistinctShuffled(15, 12, 0.1f, 0.15f);
        var signs = TestData.Uniform(16, 12);
        var values = magnitudes.Select((m, i) => signs[i] < 0 ? -m : m).ToArray();
        using var x = Tensor.FromArray(values, 3, 4).WithRequiresGrad();
        GradientChecker.Check(() => x.Norm(float.PositiveInfinity), [x]);
        GradientChecker.Check(() => x.Norm(float.PositiveInfinity, [1]), [x]);
    }

    [Test]
    public void Norm2_AtZero_HasZeroGradientInsteadOfNaN()
    {
        using var x = Tensor.Zeros(3).WithRequiresGrad();
        using var n = x.Norm();
        n.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f }));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(-1)]
    public void SoftmaxLogSoftmax_MiddleAndLastDim_GradientsMatchNumerical(int dim)
    {
        using var x = TestData.Tensor(17, [3, 4, 5], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => x.Softmax(dim), [x]);
        GradientChecker.Check(() => x.LogSoftmax(dim), [x]);
    }

    [Test]
    public void Softmax_NonContiguousInput_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(18, [4, 3], -2f, 2f, requiresGrad: true);
        GradientChecker.Check(() => x.T.Softmax(1), [x]);
        GradientChecker.Check(() => x.T.LogSoftmax(0), [x]);
    }

    /// <summary>Groups the elements of a row-major array by their output position after reducing <paramref name="dims"/>.</summary>
    private static (int[] Shape, float[][] Groups) Groups(int[] shape, int[] dims, bool keepDim, float[] data)
    {
        var rank = shape.Length;
        var reduced = dims.Select(d => d < 0 ? d + rank : d).ToHashSet();
        var outShape = new List<int>();
        var keptShape = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            keptShape[d] = reduced.Contains(d) ? 1 : shape[d];
            if (!reduced.Contains(d))
            {
                outShape.Add(shape[d]);
            }
            else if (keepDim)
            {
                outShape.Add(1);
            }
        }

        var outCount = keptShape.Aggregate(1, (a, b) => a * b);
        var groups = Enumerable.Range(0, outCount).Select(_ => new List<float>()).ToArray();
        for (var i = 0; i < data.Length; i++)
        {
            var rem = i;
            var outIndex = 0;
            var outStride = 1;
            var idx = new int[rank];
            for (var d = rank - 1; d >= 0; d--)
            {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }

            for (var d = rank - 1; d >= 0; d--)
            {
                outIndex += (reduced.Contains(d) ? 0 : idx[d]) * outStride;
                outStride *= keptShape[d];
            }

            groups[outIndex].Add(data[i]);
        }

        return ([.. outShape], groups.Select(g => g.ToArray()).ToArray());
    }
}
