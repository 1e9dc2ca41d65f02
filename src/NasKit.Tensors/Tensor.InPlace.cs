using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

/// <summary>In-place operations. They are not recorded by autograd: use them on tensors outside the graph (parameters under <see cref="Autograd.NoGrad"/>, optimizer state, buffers).</summary>
public partial class Tensor
{
    /// <summary>Adds alpha · other into this tensor (other broadcasts to this tensor's shape).</summary>
    /// <param name="other">The tensor to add.</param>
    /// <param name="alpha">The multiplier of <paramref name="other"/>.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddInPlace(Tensor other, float alpha = 1f)
    {
        CheckInPlace();
        BinaryInPlace(BinaryOp.Add, NotNull(other), alpha);
        return this;
    }

    /// <summary>Adds a scalar into this tensor.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddInPlace(float value)
    {
        CheckInPlace();
        UnaryInPlace(UnaryOp.Affine, 1f, value);
        return this;
    }

    /// <summary>Subtracts alpha · other from this tensor.</summary>
    /// <param name="other">The tensor to subtract.</param>
    /// <param name="alpha">The multiplier of <paramref name="other"/>.</param>
    /// <returns>This tensor.</returns>
    public Tensor SubInPlace(Tensor other, float alpha = 1f) => AddInPlace(other, -alpha);

    /// <summary>Multiplies this tensor element-wise by <paramref name="other"/>.</summary>
    /// <param name="other">The factor (broadcasts).</param>
    /// <returns>This tensor.</returns>
    public Tensor MulInPlace(Tensor other)
    {
        CheckInPlace();
        BinaryInPlace(BinaryOp.Mul, NotNull(other), 1f);
        return this;
    }

    /// <summary>Multiplies this tensor by a scalar.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>This tensor.</returns>
    public Tensor MulInPlace(float value)
    {
        CheckInPlace();
        UnaryInPlace(UnaryOp.Affine, value, 0f);
        return this;
    }

    /// <summary>Divides this tensor element-wise by <paramref name="other"/>.</summary>
    /// <param name="other">The divisor (broadcasts).</param>
    /// <returns>This tensor.</returns>
    public Tensor DivInPlace(Tensor other)
    {
        CheckInPlace();
        BinaryInPlace(BinaryOp.Div, NotNull(other), 1f);
        return this;
    }

    /// <summary>Divides this tensor by a scalar.</summary>
    /// <param name="value">The divisor.</param>
    /// <returns>This tensor.</returns>
    public Tensor DivInPlace(float value)
    {
        CheckInPlace();
        using var s = ScalarTensor(value);
        BinaryInPlace(BinaryOp.Div, s, 1f);
        return this;
    }

    /// <summary>Adds value · t1 · t2 into this tensor (PyTorch's <c>addcmul_</c>).</summary>
    /// <param name="tensor1">The first factor.</param>
    /// <param name="tensor2">The second factor.</param>
    /// <param name="value">The multiplier.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddcmulInPlace(Tensor tensor1, Tensor tensor2, float value = 1f)
    {
        CheckInPlace();
        using var p = BinaryKernel(BinaryOp.Mul, NotNull(tensor1), NotNull(tensor2));
        BinaryInPlace(BinaryOp.Add, p, value);
        return this;
    }

    /// <summary>Adds value · t1 / t2 into this tensor (PyTorch's <c>addcdiv_</c>).</summary>
    /// <param name="tensor1">The dividend.</param>
    /// <param name="tensor2">The divisor.</param>
    /// <param name="value">The multiplier.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddcdivInPlace(Tensor tensor1, Tensor tensor2, float value = 1f)
    {
        CheckInPlace();
        using var q = BinaryKernel(BinaryOp.Div, NotNull(tensor1), NotNull(tensor2));
        BinaryInPlace(BinaryOp.Add, q, value);
        return this;
    }

    /// <summary>Clamps this tensor in place.</summary>
    /// <param name="min">The lower bound, or null.</param>
    /// <param name="max">The upper bound, or null.</param>
    /// <returns>This tensor.</returns>
    public Tensor ClampInPlace(float? min = null, float? max = null)
    {
        CheckInPlace();
        UnaryInPlace(UnaryOp.Clamp, min ?? float.NaN, max ?? float.NaN);
        return this;
    }

    /// <summary>Fills this tensor with <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This tensor.</returns>
    public Tensor FillInPlace(float value)
    {
        CheckInPlace();
        Backend.Fill(this, value);
        BumpVersion();
        return this;
    }

    /// <summary>Sets every element to zero.</summary>
    /// <returns>This tensor.</returns>
    public Tensor ZeroInPlace() => FillInPlace(0f);

    /// <summary>Copies <paramref name="source"/> (broadcast to this tensor's shape) into this tensor.</summary>
    /// <param name="source">The values to copy.</param>
    /// <returns>This tensor.</returns>
    /// <exception cref="ArgumentException">The source does not broadcast to this tensor's shape.</exception>
    public Tensor CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckInPlace();
        CheckSameDevice(this, source);
        var strides = ShapeUtils.BroadcastStrides(source._shape, source._strides, _shape);
        if (ReferenceEquals(source.Storage, Storage))
        {
            using var tmp = source.CopyContiguousRaw();
            Backend.Copy(tmp, ShapeUtils.BroadcastStrides(tmp._shape, tmp._strides, _shape), this);
        }
        else
        {
            Backend.Copy(source, strides, this);
        }

        BumpVersion();
        return this;
    }

    /// <summary>Copies host values (row-major) into this tensor.</summary>
    /// <param name="values">The values; exactly <see cref="NumberOfElements"/> of them.</param>
    /// <returns>This tensor.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of elements.</exception>
    public Tensor CopyFrom(ReadOnlySpan<float> values)
    {
        CheckInPlace();
        if (values.Length != _numel)
        {
            ThrowHelper.ThrowArgument($"{values.Length} values cannot fill a tensor of shape {ThrowHelper.FormatShape(_shape)} ({_numel} elements).", nameof(values));
        }

        if (_isContiguous)
        {
            Backend.CopyFromHost(values, this);
        }
        else
        {
            using var tmp = FromArray(values, _shape);
            Backend.Copy(tmp, tmp._strides, this);
        }

        BumpVersion();
        return this;
    }

    /// <summary>Adds <paramref name="other"/> into this tensor without any autograd checks (gradient accumulation).</summary>
    internal void AddInPlaceUnchecked(Tensor other) => BinaryInPlace(BinaryOp.Add, other, 1f);

    private void BinaryInPlace(BinaryOp op, Tensor other, float alpha)
    {
        CheckSameDevice(this, other);
        if (ReferenceEquals(other.Storage, Storage) && !(other._offset == _offset && other.StridesSpan.SequenceEqual(_strides)))
        {
            // The operand overlaps this tensor with a different layout: read it from a snapshot.
            using var snapshot = other.CopyContiguousRaw();
            BinaryInPlace(op, snapshot, alpha);
            return;
        }

        var strides = other.ShapeSpan.SequenceEqual(_shape) ? other._strides : ShapeUtils.BroadcastStrides(other._shape, other._strides, _shape);
        Backend.Binary(op, this, _strides, other, strides, this, alpha);
        BumpVersion();
    }

    private void UnaryInPlace(UnaryOp op, float alpha, float beta)
    {
        if (_isContiguous)
        {
            Backend.Unary(op, this, this, alpha, beta);
        }
        else
        {
            using var tmp = UnaryKernel(op, alpha, beta);
            Backend.Copy(tmp, tmp._strides, this);
        }

        BumpVersion();
    }

    private void CheckInPlace()
    {
        ThrowIfDisposed();
        for (var d = 0; d < Rank; d++)
        {
            if (_strides[d] == 0 && _shape[d] > 1)
            {
                ThrowHelper.ThrowInvalidOperation(
                    $"Cannot write in place into a tensor of shape {ThrowHelper.FormatShape(_shape)} whose dimension {d} is broadcast (stride 0): " +
                    "several elements share one memory location. Write into a Contiguous() copy instead.");
            }
        }

        if (_requiresGrad && GradMode.IsEnabled)
        {
            if (IsLeaf)
            {
                ThrowHelper.ThrowInvalidOperation(
                    "A leaf tensor that requires grad cannot be modified in place while gradients are recorded; wrap the update in 'using (Autograd.NoGrad())'.");
            }

            ThrowHelper.ThrowInvalidOperation(
                $"In-place operations are not recorded by autograd, and this tensor is part of a graph (produced by {GradFunctionName}); use the out-of-place op instead.");
        }
    }
}
