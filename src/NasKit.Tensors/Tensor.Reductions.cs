using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>Sums every element (accumulating in double precision) into a zero-dimensional tensor.</summary>
    /// <returns>The sum.</returns>
    public Tensor Sum() => SumOrMean(null, keepDim: false, mean: false);

    /// <summary>Sums over one dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep the reduced dimension with size 1.</param>
    /// <returns>The sum.</returns>
    public Tensor Sum(int dim, bool keepDim = false) => SumOrMean([dim], keepDim, mean: false);

    /// <summary>Sums over several dimensions (all when null or empty).</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="keepDim">Whether to keep the reduced dimensions with size 1.</param>
    /// <returns>The sum.</returns>
    public Tensor Sum(int[]? dims, bool keepDim = false) => SumOrMean(dims, keepDim, mean: false);

    /// <summary>Averages every element into a zero-dimensional tensor (NaN for an empty tensor).</summary>
    /// <returns>The mean.</returns>
    public Tensor Mean() => SumOrMean(null, keepDim: false, mean: true);

    /// <summary>Averages over one dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep the reduced dimension with size 1.</param>
    /// <returns>The mean.</returns>
    public Tensor Mean(int dim, bool keepDim = false) => SumOrMean([dim], keepDim, mean: true);

    /// <summary>Averages over several dimensions (all when null or empty).</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="keepDim">Whether to keep the reduced dimensions with size 1.</param>
    /// <returns>The mean.</returns>
    public Tensor Mean(int[]? dims, bool keepDim = false) => SumOrMean(dims, keepDim, mean: true);

    /// <summary>Gets the largest element (NaN if any element is NaN). The gradient is shared equally among tied maxima, as PyTorch.</summary>
    /// <returns>A zero-dimensional tensor.</returns>
    public Tensor Max() => ExtremeAll(max: true);

    /// <summary>Gets the smallest element (NaN if any element is NaN).</summary>
    /// <returns>A zero-dimensional tensor.</returns>
    public Tensor Min() => ExtremeAll(max: false);

    /// <summary>Gets the largest values along a dimension and their positions (the first one on ties).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep the reduced dimension with size 1.</param>
    /// <returns>The values (differentiable) and indices.</returns>
    public ValuesAndIndices Max(int dim, bool keepDim = false) => ExtremeDim(dim, keepDim, max: true);

    /// <summary>Gets the smallest values along a dimension and their positions (the first one on ties).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep the reduced dimension with size 1.</param>
    /// <returns>The values (differentiable) and indices.</returns>
    public ValuesAndIndices Min(int dim, bool keepDim = false) => ExtremeDim(dim, keepDim, max: false);

    /// <summary>Gets the position of the largest element of the flattened tensor.</summary>
    /// <returns>A zero-dimensional tensor holding the index.</returns>
    public Tensor ArgMax()
    {
        using var flat = Reshape(-1);
        var r = flat.ExtremeDim(0, keepDim: false, max: true);
        r.Values.Dispose();
        return r.Indices;
    }

    /// <summary>Gets the positions of the largest values along a dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep the reduced dimension with size 1.</param>
    /// <returns>The indices.</returns>
    public Tensor ArgMax(int dim, bool keepDim = false)
    {
        var r = ExtremeDim(dim, keepDim, max: true);
        r.Values.Dispose();
        return r.Indices;
    }

    /// <summary>Gets the positions of the smallest values along a dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Whether to keep the reduced dimension with size 1.</param>
    /// <returns>The indices.</returns>
    public Tensor ArgMin(int dim, bool keepDim = false)
    {
        var r = ExtremeDim(dim, keepDim, max: false);
        r.Values.Dispose();
        return r.Indices;
    }

    /// <summary>Computes the variance over dimensions (all when null) with Bessel's correction by default.</summary>
    /// <param name="dims">The dimensions, or null for all.</param>
    /// <param name="correction">Subtracted from the count in the denominator (1 = unbiased, 0 = population).</param>
    /// <param name="keepDim">Whether to keep the reduced dimensions with size 1.</param>
    /// <returns>The variance.</returns>
    public Tensor Var(int[]? dims = null, int correction = 1, bool keepDim = false)
    {
        var plan = PlanReduction(dims, keepDim);
        var result = RunReduction(ReduceOp.Var, plan, null, correction);
        if (GradRecorder.Needs(this))
        {
            var x = this;
            GradRecorder.Record(result, "VarBackward", this, g =>
            {
                // d var / dx = 2 (x − mean) / (N − correction)
                using var mean = x.Detach().Mean(dims, keepDim: true);
                using var centered = BinaryKernel(BinaryOp.Sub, x, mean);
                using var gFull = ExpandGrad(g, plan.KeptShape, x._shape);
                var scale = 2f / Math.Max(plan.Reduce - correction, 0);
                using var prod = BinaryKernel(BinaryOp.Mul, centered, gFull);
                return prod.AffineKernel(scale, 0f);
            }, x);
        }

        return result;
    }

    /// <summary>Computes the standard deviation: the square root of <see cref="Var(int[], int, bool)"/>.</summary>
    /// <param name="dims">The dimensions, or null for all.</param>
    /// <param name="correction">Subtracted from the count in the denominator.</param>
    /// <param name="keepDim">Whether to keep the reduced dimensions with size 1.</param>
    /// <returns>The standard deviation.</returns>
    public Tensor Std(int[]? dims = null, int correction = 1, bool keepDim = false)
    {
        using var v = Var(dims, correction, keepDim);
        return v.Sqrt();
    }

    /// <summary>Computes log(Σ exp(x)) over dimensions, stably.</summary>
    /// <param name="dims">The dimensions, or null for all.</param>
    /// <param name="keepDim">Whether to keep the reduced dimensions with size 1.</param>
    /// <returns>The result.</returns>
    public Tensor LogSumExp(int[]? dims = null, bool keepDim = false)
    {
        var plan = PlanReduction(dims, keepDim);
        var result = RunReduction(ReduceOp.LogSumExp, plan, null, 0f);
        if (GradRecorder.Needs(this))
        {
            var x = this;
            GradRecorder.Record(result, "LogSumExpBackward", this, g =>
            {
                // softmax(x) · g
                using var lse = result.Reshape(plan.KeptShape);
                using var shifted = BinaryKernel(BinaryOp.Sub, x, lse);
                using var p = shifted.UnaryKernel(UnaryOp.Exp);
                using var gFull = ExpandGrad(g, plan.KeptShape, x._shape);
                return BinaryKernel(BinaryOp.Mul, p, gFull);
            }, x, result);
        }

        return result;
    }

    /// <summary>Computes the p-norm over dimensions (all when null): p = 2 (default), 1, 0 (count of non-zeros) or +∞.</summary>
    /// <param name="p">The order.</param>
    /// <param name="dims">The dimensions, or null for all.</param>
    /// <param name="keepDim">Whether to keep the reduced dimensions with size 1.</param>
    /// <returns>The norm.</returns>
    public Tensor Norm(float p = 2f, int[]? dims = null, bool keepDim = false)
    {
        if (!(p >= 0f))
        {
            ThrowHelper.ThrowArgument($"The norm order must be >= 0, but got {p}.", nameof(p));
        }

        var plan = PlanReduction(dims, keepDim);
        var result = RunReduction(ReduceOp.Norm, plan, null, p);
        if (GradRecorder.Needs(this))
        {
            var x = this;
            GradRecorder.Record(result, "NormBackward", this, g =>
            {
                using var norm = result.Reshape(plan.KeptShape);
                using var gFull = ExpandGrad(g, plan.KeptShape, x._shape);
                using var sign = x.UnaryKernel(UnaryOp.Sign);
                Tensor local;
                if (p == 0f)
                {
                    return Zeros(x._shape);
                }
                else if (p == 1f)
                {
                    local = sign.Alias();
                }
                else if (float.IsPositiveInfinity(p))
                {
                    // sign(x) on the positions attaining the max |x|, shared equally among them
                    using var absX = x.UnaryKernel(UnaryOp.Abs);
                    using var hit = BinaryKernel(BinaryOp.Eq, absX, norm);
                    using var count = hit.Sum(plan.ReducedDims, keepDim: true);
                    using var share = BinaryKernel(BinaryOp.Div, hit, count);
                    local = BinaryKernel(BinaryOp.Mul, sign, share);
                }
                else
                {
                    // sign(x)·|x|^(p−1) / norm^(p−1), 0 where the norm is 0
                    using var absX = x.UnaryKernel(UnaryOp.Abs);
                    using var num = absX.UnaryKernel(UnaryOp.Pow, p - 1f);
                    using var den = norm.UnaryKernel(UnaryOp.Pow, p - 1f);
                    using var ratio = BinaryKernel(BinaryOp.Div, num, den);
                    using var zero = ScalarTensor(0f);
                    using var normIsZero = BinaryKernel(BinaryOp.Eq, norm, zero);
                    using var safe = Where(normIsZero, zero, ratio);
                    local = BinaryKernel(BinaryOp.Mul, sign, safe);
                }

                using (local)
                {
                    return BinaryKernel(BinaryOp.Mul, local, gFull);
                }
            }, x, result);
        }

        return result;
    }

    /// <summary>Computes softmax along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dimension.</param>
    /// <returns>The probabilities.</returns>
    public Tensor Softmax(int dim) => SoftmaxCore(dim, log: false);

    /// <summary>Computes log-softmax along <paramref name="dim"/> (stable: x − max − log Σ exp(x − max)).</summary>
    /// <param name="dim">The dimension.</param>
    /// <returns>The log-probabilities.</returns>
    public Tensor LogSoftmax(int dim) => SoftmaxCore(dim, log: true);

    private Tensor SoftmaxCore(int dim, bool log)
    {
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var (outer, size, inner) = SplitAt(d);
        using var xc = AsContiguous();
        var result = CreateUninitialized((int[])_shape.Clone());
        if (_numel > 0)
        {
            Backend.Softmax(xc.Tensor, outer, size, inner, result, log);
        }

        if (GradRecorder.Needs(this))
        {
            GradRecorder.Record(result, log ? "LogSoftmaxBackward" : "SoftmaxBackward", this, g =>
            {
                using var gc = g.AsContiguous();
                var dx = CreateUninitialized(result.Shape);
                result.Backend.SoftmaxBackward(gc.Tensor, result, outer, size, inner, dx, log);
                return dx;
            }, result);
        }

        return result;
    }

    /// <summary>Gets the sizes before, at and after dimension <paramref name="d"/>.</summary>
    internal (int Outer, int Size, int Inner) SplitAt(int d)
    {
        if (Rank == 0)
        {
            return (1, 1, 1);
        }

        var outer = 1;
        for (var i = 0; i < d; i++)
        {
            outer *= _shape[i];
        }

        var inner = 1;
        for (var i = d + 1; i < Rank; i++)
        {
            inner *= _shape[i];
        }

        return (outer, _shape[d], inner);
    }

    private Tensor SumOrMean(int[]? dims, bool keepDim, bool mean)
    {
        var plan = PlanReduction(dims, keepDim);
        Tensor result;
        if (plan.Outer == 1 && plan.Inner == 1)
        {
            using var xc = AsContiguous();
            var total = _numel == 0 ? 0.0 : Backend.SumAll(xc.Tensor);
            result = Full(plan.OutShape, mean ? (float)(total / _numel) : (float)total);
        }
        else
        {
            result = RunReduction(mean ? ReduceOp.Mean : ReduceOp.Sum, plan, null, 0f);
        }

        if (GradRecorder.Needs(this))
        {
            var inputShape = (int[])_shape.Clone();
            var scale = mean ? 1f / Math.Max(plan.Reduce, 1) : 1f;
            GradRecorder.Record(result, mean ? "MeanBackward" : "SumBackward", this, g =>
            {
                var full = ExpandGrad(g, plan.KeptShape, inputShape);
                if (scale == 1f)
                {
                    return full;
                }

                using (full)
                {
                    return full.AffineKernel(scale, 0f);
                }
            });
        }

        return result;
    }

    private Tensor ExtremeAll(bool max)
    {
        if (_numel == 0)
        {
            ThrowHelper.ThrowInvalidOperation($"{(max ? "Max" : "Min")}() of an empty tensor (shape {ThrowHelper.FormatShape(_shape)}) is undefined.");
        }

        var plan = PlanReduction(null, keepDim: false);
        using var idx = CreateUninitialized([1]);
        var result = RunReduction(max ? ReduceOp.Max : ReduceOp.Min, plan, idx, 0f);
        if (GradRecorder.Needs(this))
        {
            var x = this;
            GradRecorder.Record(result, max ? "MaxBackward" : "MinBackward", this, g =>
            {
                using var hit = BinaryKernel(BinaryOp.Eq, x, result);
                using var count = hit.Sum();
                using var share = BinaryKernel(BinaryOp.Div, hit, count);
                return BinaryKernel(BinaryOp.Mul, share, g);
            }, x, result);
        }

        return result;
    }

    private ValuesAndIndices ExtremeDim(int dim, bool keepDim, bool max)
    {
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        if (Rank > 0 && _shape[d] == 0)
        {
            ThrowHelper.ThrowInvalidOperation($"Cannot take the {(max ? "max" : "min")} over dimension {d} of size 0 (shape {ThrowHelper.FormatShape(_shape)}).");
        }

        var plan = PlanReduction([d], keepDim);
        var indices = CreateUninitialized((int[])plan.OutShape.Clone());
        var values = RunReduction(max ? ReduceOp.Max : ReduceOp.Min, plan, indices, 0f);
        if (GradRecorder.Needs(this))
        {
            var inputShape = (int[])_shape.Clone();
            var (outer, size, inner) = SplitAt(d);
            GradRecorder.Record(values, max ? "MaxBackward" : "MinBackward", this, g =>
            {
                // grad_in[o, r, i] = g[o, i] where r == indices[o, i]
                using var pos = Arange(size);
                using var posView = pos.Reshape(1, size, 1);
                using var idxView = indices.Reshape(outer, 1, inner);
                using var mask = BinaryKernel(BinaryOp.Eq, posView, idxView);
                using var gView = g.Reshape(outer, 1, inner);
                using var scattered = BinaryKernel(BinaryOp.Mul, mask, gView);
                return scattered.Reshape(inputShape);
            }, indices);
        }

        return new ValuesAndIndices(values, indices);
    }

    /// <summary>Materialises a gradient of the reduced shape over the input shape.</summary>
    internal static Tensor ExpandGrad(Tensor g, int[] keptShape, int[] inputShape)
    {
        var result = CreateUninitialized((int[])inputShape.Clone());
        using var gc = g.AsContiguous();
        var keptStrides = ShapeUtils.ContiguousStrides(keptShape);
        result.Backend.Copy(gc.Tensor, ShapeUtils.BroadcastStrides(keptShape, keptStrides, inputShape), result);
        return result;
    }

    private Tensor RunReduction(ReduceOp op, ReductionPlan plan, Tensor? indices, float alpha)
    {
        var result = CreateUninitialized((int[])plan.OutShape.Clone());
        if (result.NumberOfElements == 0)
        {
            return result; // nothing to compute (and an [outer, reduce, 0] view would divide by zero in the kernel)
        }

        if (plan.Reduce == 0)
        {
            Backend.Fill(result, op switch { ReduceOp.Sum or ReduceOp.Norm => 0f, ReduceOp.LogSumExp => float.NegativeInfinity, _ => float.NaN });
            return result;
        }

        using var source = PrepareSource(plan);
        Backend.Reduce(op, source.Tensor, plan.Outer, plan.Reduce, plan.Inner, result, indices, alpha);
        return result;
    }

    private ContiguousRef PrepareSource(ReductionPlan plan)
    {
        if (plan.Permutation is null)
        {
            return AsContiguous();
        }

        using var permuted = AliasAs(plan.Permutation.Select(i => _shape[i]).ToArray(), plan.Permutation.Select(i => _strides[i]).ToArray(), _offset);
        return new ContiguousRef(permuted.CopyContiguousRaw(), owned: true);
    }

    private ReductionPlan PlanReduction(int[]? dims, bool keepDim)
    {
        var mask = ShapeUtils.ReductionMask(dims, Rank);
        var kept = new int[Rank];
        var outShape = new List<int>();
        var reducedDims = new List<int>();
        long reduce = 1;
        for (var i = 0; i < Rank; i++)
        {
            if (mask[i])
            {
                kept[i] = 1;
                reduce *= _shape[i];
                reducedDims.Add(i);
                if (keepDim)
                {
                    outShape.Add(1);
                }
            }
            else
            {
                kept[i] = _shape[i];
                outShape.Add(_shape[i]);
            }
        }

        // A contiguous run of reduced dimensions needs no data movement: [outer, reduce, inner].
        var first = Array.IndexOf(mask, true);
        var last = Array.LastIndexOf(mask, true);
        var isRun = first < 0 || Enumerable.Range(first, last - first + 1).All(i => mask[i]);
        int[]? permutation = null;
        int outer = 1, inner = 1;
        if (first < 0)
        {
            outer = _numel;
        }
        else if (isRun)
        {
            for (var i = 0; i < first; i++)
            {
                outer *= _shape[i];
            }

            for (var i = last + 1; i < Rank; i++)
            {
                inner *= _shape[i];
            }
        }
        else
        {
            var keptDims = Enumerable.Range(0, Rank).Where(i => !mask[i]).ToArray();
            permutation = [.. keptDims, .. reducedDims];
            foreach (var i in keptDims)
            {
                outer *= _shape[i];
            }
        }

        return new ReductionPlan(outer, (int)reduce, inner, kept, [.. outShape], [.. reducedDims], permutation);
    }

    private sealed record ReductionPlan(int Outer, int Reduce, int Inner, int[] KeptShape, int[] OutShape, int[] ReducedDims, int[]? Permutation);
}
