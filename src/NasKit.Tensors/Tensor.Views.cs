using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>Returns a view with a new shape over the same storage; one dimension may be -1 (inferred).</summary>
    /// <param name="shape">The new shape.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    /// <exception cref="InvalidOperationException">The memory layout does not allow a view; use <see cref="Reshape(int[])"/>.</exception>
    public Tensor View(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = ShapeUtils.InferShape(shape, _numel, _shape);
        var strides = ShapeUtils.ViewStrides(_shape, _strides, target);
        if (strides is null)
        {
            ThrowHelper.ThrowInvalidOperation(
                $"A tensor of shape {ThrowHelper.FormatShape(_shape)} with strides {ThrowHelper.FormatShape(_strides)} cannot be viewed as {ThrowHelper.FormatShape(target)} without copying; use Reshape() instead.");
        }

        return RecordView(AliasAs(target, strides, _offset), "ViewBackward");
    }

    /// <summary>Returns a tensor with a new shape: a view when the layout allows, otherwise a copy. One dimension may be -1.</summary>
    /// <param name="shape">The new shape.</param>
    /// <returns>The reshaped tensor.</returns>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = ShapeUtils.InferShape(shape, _numel, _shape);
        var strides = ShapeUtils.ViewStrides(_shape, _strides, target);
        var result = strides is not null ? AliasAs(target, strides, _offset) : ReshapeCopy(target);
        return RecordView(result, "ReshapeBackward");
    }

    /// <summary>Reshapes without recording autograd: a view when possible, otherwise a copy.</summary>
    internal Tensor ReshapeRaw(params int[] shape)
    {
        var target = ShapeUtils.InferShape(shape, _numel, _shape);
        var strides = ShapeUtils.ViewStrides(_shape, _strides, target);
        return strides is not null ? AliasAs(target, strides, _offset) : ReshapeCopy(target);
    }

    private Tensor ReshapeCopy(int[] target)
    {
        var copy = CopyContiguousRaw();
        var view = copy.AliasAs(target, ShapeUtils.ContiguousStrides(target), 0);
        copy.Dispose();
        return view;
    }

    private Tensor RecordView(Tensor result, string name)
    {
        if (GradRecorder.Needs(this))
        {
            var inputShape = (int[])_shape.Clone();
            GradRecorder.Record(result, name, this, g => g.Reshape(inputShape));
        }

        return result;
    }

    /// <summary>Flattens dimensions <paramref name="startDim"/> through <paramref name="endDim"/> into one.</summary>
    /// <param name="startDim">The first dimension to flatten.</param>
    /// <param name="endDim">The last dimension to flatten (inclusive).</param>
    /// <returns>The flattened tensor.</returns>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0)
        {
            return Reshape(1);
        }

        var s = ShapeUtils.NormalizeDim(startDim, Rank, nameof(startDim));
        var e = ShapeUtils.NormalizeDim(endDim, Rank, nameof(endDim));
        if (s > e)
        {
            ThrowHelper.ThrowArgument($"'startDim <= endDim' must hold, but got startDim={startDim}, endDim={endDim} for rank {Rank}.");
        }

        var shape = new List<int>();
        for (var i = 0; i < s; i++)
        {
            shape.Add(_shape[i]);
        }

        var merged = 1;
        for (var i = s; i <= e; i++)
        {
            merged *= _shape[i];
        }

        shape.Add(merged);
        for (var i = e + 1; i < Rank; i++)
        {
            shape.Add(_shape[i]);
        }

        return Reshape([.. shape]);
    }

    /// <summary>Splits dimension <paramref name="dim"/> into <paramref name="sizes"/> (one may be -1).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="sizes">The sizes that replace it.</param>
    /// <returns>The reshaped tensor.</returns>
    public Tensor Unflatten(int dim, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var inner = ShapeUtils.InferShape(sizes, _shape[d], [_shape[d]]);
        var shape = new List<int>(_shape[..d]);
        shape.AddRange(inner);
        shape.AddRange(_shape[(d + 1)..]);
        return Reshape([.. shape]);
    }

    /// <summary>Removes every dimension of size 1.</summary>
    /// <returns>The squeezed tensor.</returns>
    public Tensor Squeeze() => Reshape(_shape.Where(d => d != 1).ToArray());

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1 (otherwise returns an equivalent view).</summary>
    /// <param name="dim">The dimension.</param>
    /// <returns>The squeezed tensor.</returns>
    public Tensor Squeeze(int dim)
    {
        if (Rank == 0)
        {
            return Reshape();
        }

        var d = ShapeUtils.NormalizeDim(dim, Rank);
        if (_shape[d] != 1)
        {
            return Reshape(_shape);
        }

        var shape = new List<int>(_shape);
        shape.RemoveAt(d);
        return Reshape([.. shape]);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (negative values count from the end of the result).</summary>
    /// <param name="dim">The position of the new dimension.</param>
    /// <returns>The tensor with one more dimension.</returns>
    public Tensor Unsqueeze(int dim)
    {
        var d = ShapeUtils.NormalizeDim(dim, Rank + 1);
        var shape = new List<int>(_shape);
        shape.Insert(d, 1);
        return Reshape([.. shape]);
    }

    /// <summary>Returns a view with the dimensions reordered.</summary>
    /// <param name="dims">A permutation of 0..Rank-1 (negative values allowed).</param>
    /// <returns>The permuted view.</returns>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation.</exception>
    public Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length != Rank)
        {
            ThrowHelper.ThrowArgument($"Permute needs {Rank} dimensions for a tensor of shape {ThrowHelper.FormatShape(_shape)}, but got [{string.Join(", ", dims)}].", nameof(dims));
        }

        var seen = new bool[Rank];
        var perm = new int[Rank];
        var shape = new int[Rank];
        var strides = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            var d = ShapeUtils.NormalizeDim(dims[i], Rank, nameof(dims));
            if (seen[d])
            {
                ThrowHelper.ThrowArgument($"[{string.Join(", ", dims)}] is not a permutation: dimension {d} appears twice.", nameof(dims));
            }

            seen[d] = true;
            perm[i] = d;
            shape[i] = _shape[d];
            strides[i] = _strides[d];
        }

        var result = AliasAs(shape, strides, _offset);
        if (GradRecorder.Needs(this))
        {
            var inverse = new int[Rank];
            for (var i = 0; i < Rank; i++)
            {
                inverse[perm[i]] = i;
            }

            GradRecorder.Record(result, "PermuteBackward", this, g => g.Permute(inverse));
        }

        return result;
    }

    /// <summary>Returns a view with dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped.</summary>
    /// <param name="dim0">The first dimension.</param>
    /// <param name="dim1">The second dimension.</param>
    /// <returns>The transposed view.</returns>
    public Tensor Transpose(int dim0, int dim1)
    {
        if (Rank < 2)
        {
            return Permute(Enumerable.Range(0, Rank).ToArray());
        }

        var a = ShapeUtils.NormalizeDim(dim0, Rank, nameof(dim0));
        var b = ShapeUtils.NormalizeDim(dim1, Rank, nameof(dim1));
        var perm = Enumerable.Range(0, Rank).ToArray();
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>Gets the transpose of a matrix (tensors of rank ≤ 2; rank 0 and 1 are returned as views unchanged).</summary>
    /// <exception cref="InvalidOperationException">The tensor has rank greater than 2.</exception>
    public Tensor T
    {
        get
        {
            if (Rank > 2)
            {
                ThrowHelper.ThrowInvalidOperation($"T is defined for tensors of rank <= 2, but this one has shape {ThrowHelper.FormatShape(_shape)}; use Transpose(dim0, dim1) or Permute.");
            }

            return Rank == 2 ? Transpose(0, 1) : Permute(Enumerable.Range(0, Rank).ToArray());
        }
    }

    /// <summary>Returns a broadcast view of this tensor with the given shape (-1 keeps a dimension); no data is copied.</summary>
    /// <param name="shape">The target shape.</param>
    /// <returns>The expanded view.</returns>
    public Tensor Expand(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = (int[])shape.Clone();
        var lead = target.Length - Rank;
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] == -1)
            {
                if (i < lead)
                {
                    ThrowHelper.ThrowArgument($"-1 is not allowed for the new leading dimension {i} in Expand to {ThrowHelper.FormatShape(shape)}.", nameof(shape));
                }

                target[i] = _shape[i - lead];
            }
        }

        var strides = ShapeUtils.BroadcastStrides(_shape, _strides, target);
        var result = AliasAs(target, strides, _offset);
        if (GradRecorder.Needs(this))
        {
            var inputShape = (int[])_shape.Clone();
            GradRecorder.Record(result, "ExpandBackward", this, g => GradRecorder.SumToShape(g, inputShape));
        }

        return result;
    }

    /// <summary>Returns a broadcast view of this tensor with the shape of <paramref name="other"/>.</summary>
    /// <param name="other">The tensor whose shape is used.</param>
    /// <returns>The expanded view.</returns>
    public Tensor ExpandAs(Tensor other) => Expand(NotNull(other).Shape);

    /// <summary>Returns this tensor's values in contiguous row-major layout: a new view when already contiguous, otherwise a copy.</summary>
    /// <returns>The contiguous tensor.</returns>
    public Tensor Contiguous() => Contiguous(forceCopy: false);

    internal Tensor Contiguous(bool forceCopy)
    {
        var result = _isContiguous && !forceCopy ? Alias() : CopyContiguousRaw();
        if (GradRecorder.Needs(this))
        {
            GradRecorder.Record(result, "ContiguousBackward", this, g => g.Alias());
        }

        return result;
    }

    /// <summary>Returns a copy with its own storage; gradients flow back to this tensor.</summary>
    /// <returns>The copy.</returns>
    public Tensor Clone()
    {
        var result = CopyContiguousRaw();
        if (GradRecorder.Needs(this))
        {
            GradRecorder.Record(result, "CloneBackward", this, g => g.Alias());
        }

        return result;
    }

    /// <summary>Returns the view of <paramref name="length"/> positions of dimension <paramref name="dim"/> starting at <paramref name="start"/>.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first position (negative counts from the end).</param>
    /// <param name="length">The number of positions.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range leaves the dimension.</exception>
    public Tensor Narrow(int dim, int start, int length)
    {
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var size = _shape[d];
        var s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s + length > size)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(start), start, $"Narrow({dim}, {start}, {length}) leaves dimension {d} of size {size}.");
        }

        return Slice(d, s, s + length, 1);
    }

    /// <summary>Returns the view of positions [<paramref name="start"/>, <paramref name="end"/>) with step <paramref name="step"/> along <paramref name="dim"/>; bounds are clamped as in Python.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first position (negative counts from the end).</param>
    /// <param name="end">The exclusive end (negative counts from the end).</param>
    /// <param name="step">The step; positive.</param>
    /// <returns>The view.</returns>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var size = _shape[d];
        var s = Math.Clamp(start < 0 ? start + size : start, 0, size);
        var e = Math.Clamp(end < 0 ? end + size : end, 0, size);
        var len = e > s ? ((e - s - 1) / step) + 1 : 0;
        var shape = (int[])_shape.Clone();
        var strides = (int[])_strides.Clone();
        shape[d] = len;
        strides[d] = _strides[d] * step;
        var result = AliasAs(shape, strides, _offset + (s * _strides[d]));
        if (GradRecorder.Needs(this))
        {
            var inputShape = (int[])_shape.Clone();
            GradRecorder.Record(result, "SliceBackward", this, g => ScatterIntoZeros(g, inputShape, z => z.Slice(d, s, e, step)));
        }

        return result;
    }

    /// <summary>Returns the view at position <paramref name="index"/> of dimension <paramref name="dim"/>, which is removed.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="index">The position (negative counts from the end).</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the dimension.</exception>
    public Tensor Select(int dim, int index)
    {
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var size = _shape[d];
        var i = index < 0 ? index + size : index;
        if ((uint)i >= (uint)size)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index), index, $"Index {index} is out of range for dimension {d} of size {size} (shape {ThrowHelper.FormatShape(_shape)}).");
        }

        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        shape.RemoveAt(d);
        strides.RemoveAt(d);
        var result = AliasAs([.. shape], [.. strides], _offset + (i * _strides[d]));
        if (GradRecorder.Needs(this))
        {
            var inputShape = (int[])_shape.Clone();
            GradRecorder.Record(result, "SelectBackward", this, g => ScatterIntoZeros(g, inputShape, z => z.Select(d, i)));
        }

        return result;
    }

    /// <summary>Creates zeros of <paramref name="shape"/> and copies <paramref name="grad"/> into the view <paramref name="view"/> selects.</summary>
    private static Tensor ScatterIntoZeros(Tensor grad, int[] shape, Func<Tensor, Tensor> view)
    {
        var zeros = CreateZeroed(shape);
        using var target = view(zeros);
        target.Backend.Copy(grad, grad.StridesArray, target);
        return zeros;
    }

    /// <summary>Gets or sets the view selected by a Python-style index (positions, ranges, <see cref="TensorIndex.Ellipsis"/>, <see cref="TensorIndex.NewAxis"/>).</summary>
    /// <param name="indices">The index components.</param>
    /// <returns>The view.</returns>
    /// <remarks>Setting copies (with broadcasting) into the selected view in place.</remarks>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            using var view = Index(indices);
            view.CopyFrom(value);
        }
    }

    private Tensor Index(TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var consumed = 0;
        var ellipses = 0;
        foreach (var i in indices)
        {
            if (i.Kind is TensorIndexKind.Single or TensorIndexKind.Slice)
            {
                consumed++;
            }
            else if (i.Kind == TensorIndexKind.Ellipsis)
            {
                ellipses++;
            }
        }

        if (ellipses > 1)
        {
            ThrowHelper.ThrowArgument("An index can contain at most one ellipsis.", nameof(indices));
        }

        if (consumed > Rank)
        {
            ThrowHelper.ThrowArgument($"Too many indices ({consumed}) for a tensor of shape {ThrowHelper.FormatShape(_shape)}.", nameof(indices));
        }

        var current = this;
        var dim = 0;
        foreach (var idx in indices)
        {
            Tensor next;
            switch (idx.Kind)
            {
                case TensorIndexKind.Single:
                    next = current.Select(dim, idx.Position);
                    break;
                case TensorIndexKind.Slice:
                    var size = current.ShapeSpan[dim];
                    next = current.Slice(dim, idx.Start.GetOffset(size), idx.End.GetOffset(size), idx.Step);
                    dim++;
                    break;
                case TensorIndexKind.NewAxis:
                    next = current.Unsqueeze(dim);
                    dim++;
                    break;
                default:
                    dim += Rank - consumed;
                    continue;
            }

            if (!ReferenceEquals(current, this))
            {
                current.Dispose();
            }

            current = next;
        }

        // Always hand back a fresh tensor object, never this one.
        return ReferenceEquals(current, this) ? Reshape(_shape) : current;
    }
}
