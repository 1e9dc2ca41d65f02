using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>Returns 1 where this equals <paramref name="other"/> and 0 elsewhere (broadcasting; not differentiable).</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Eq(Tensor other) => BinaryKernel(BinaryOp.Eq, this, NotNull(other));

    /// <summary>Returns 1 where this equals <paramref name="value"/> and 0 elsewhere.</summary>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Eq(float value) => CompareScalar(BinaryOp.Eq, value);

    /// <summary>Returns 1 where this differs from <paramref name="other"/> (NaN differs from everything).</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Ne(Tensor other) => BinaryKernel(BinaryOp.Ne, this, NotNull(other));

    /// <summary>Returns 1 where this differs from <paramref name="value"/>.</summary>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Ne(float value) => CompareScalar(BinaryOp.Ne, value);

    /// <summary>Returns 1 where this is less than <paramref name="other"/>.</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Lt(Tensor other) => BinaryKernel(BinaryOp.Lt, this, NotNull(other));

    /// <summary>Returns 1 where this is less than <paramref name="value"/>.</summary>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Lt(float value) => CompareScalar(BinaryOp.Lt, value);

    /// <summary>Returns 1 where this is at most <paramref name="other"/>.</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Le(Tensor other) => BinaryKernel(BinaryOp.Le, this, NotNull(other));

    /// <summary>Returns 1 where this is at most <paramref name="value"/>.</summary>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Le(float value) => CompareScalar(BinaryOp.Le, value);

    /// <summary>Returns 1 where this is greater than <paramref name="other"/>.</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Gt(Tensor other) => BinaryKernel(BinaryOp.Gt, this, NotNull(other));

    /// <summary>Returns 1 where this is greater than <paramref name="value"/>.</summary>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Gt(float value) => CompareScalar(BinaryOp.Gt, value);

    /// <summary>Returns 1 where this is at least <paramref name="other"/>.</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Ge(Tensor other) => BinaryKernel(BinaryOp.Ge, this, NotNull(other));

    /// <summary>Returns 1 where this is at least <paramref name="value"/>.</summary>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The mask.</returns>
    public Tensor Ge(float value) => CompareScalar(BinaryOp.Ge, value);

    private Tensor CompareScalar(BinaryOp op, float value)
    {
        using var s = ScalarTensor(value);
        return BinaryKernel(op, this, s);
    }

    /// <summary>Returns true when both tensors have the same shape and every pair of elements is within tolerance.</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <param name="relativeTolerance">The relative tolerance.</param>
    /// <param name="absoluteTolerance">The absolute tolerance.</param>
    /// <param name="nanEqual">Whether NaN equals NaN.</param>
    /// <returns>Whether |a − b| ≤ atol + rtol·|b| holds everywhere.</returns>
    public bool AllClose(Tensor other, float relativeTolerance = 1e-5f, float absoluteTolerance = 1e-8f, bool nanEqual = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ShapeSpan.SequenceEqual(other.ShapeSpan))
        {
            return false;
        }

        var a = ToArray();
        var b = other.ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            if (float.IsNaN(a[i]) || float.IsNaN(b[i]))
            {
                if (!(nanEqual && float.IsNaN(a[i]) && float.IsNaN(b[i])))
                {
                    return false;
                }

                continue;
            }

            if (a[i] == b[i])
            {
                continue; // covers equal infinities
            }

            if (!(Math.Abs(a[i] - b[i]) <= absoluteTolerance + (relativeTolerance * Math.Abs(b[i]))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Selects from <paramref name="a"/> where <paramref name="condition"/> is non-zero and from <paramref name="b"/> elsewhere (broadcasting).</summary>
    /// <param name="condition">The condition mask.</param>
    /// <param name="a">The values where the condition holds.</param>
    /// <param name="b">The values elsewhere.</param>
    /// <returns>The selection.</returns>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = ShapeUtils.Broadcast(ShapeUtils.Broadcast(condition.ShapeSpan, a.ShapeSpan), b.ShapeSpan);
        var result = CreateUninitialized(shape);
        a.Backend.Where(
            condition, ShapeUtils.BroadcastStrides(condition.ShapeSpan, condition.StridesSpan, shape),
            a, ShapeUtils.BroadcastStrides(a.ShapeSpan, a.StridesSpan, shape),
            b, ShapeUtils.BroadcastStrides(b.ShapeSpan, b.StridesSpan, shape),
            result);
        if (GradRecorder.Needs(a, b))
        {
            var (ra, rb, sa, sb) = (a.RequiresGrad, b.RequiresGrad, a.Shape, b.Shape);
            GradRecorder.Record(result, "WhereBackward", [a, b], g =>
            {
                using var zero = ScalarTensor(0f);
                return
                [
                    ra ? ReduceGrad(Where(condition, g, zero), sa) : null,
                    rb ? ReduceGrad(Where(condition, zero, g), sb) : null,
                ];
            }, condition);
        }

        return result;
    }

    /// <summary>Replaces the elements where <paramref name="mask"/> is non-zero with <paramref name="value"/>.</summary>
    /// <param name="mask">The mask (broadcast to this tensor's shape).</param>
    /// <param name="value">The replacement value.</param>
    /// <returns>The result.</returns>
    public Tensor MaskedFill(Tensor mask, float value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        using var v = ScalarTensor(value);
        var result = Where(mask, v, this);
        if (!result.ShapeSpan.SequenceEqual(_shape))
        {
            ThrowHelper.ThrowArgument($"A mask of shape {ThrowHelper.FormatShape(mask.ShapeSpan)} does not broadcast to the tensor's shape {ThrowHelper.FormatShape(_shape)}.", nameof(mask));
        }

        return result;
    }
}
