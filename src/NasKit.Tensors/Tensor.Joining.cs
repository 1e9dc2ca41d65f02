using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>Concatenates tensors along an existing dimension.</summary>
    /// <param name="tensors">The tensors; all shapes must agree except along <paramref name="dim"/>.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The concatenation.</returns>
    /// <exception cref="ArgumentException">The list is empty or the shapes disagree.</exception>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            ThrowHelper.ThrowArgument("Cat needs at least one tensor.", nameof(tensors));
        }

        var first = tensors[0];
        var d = ShapeUtils.NormalizeDim(dim, first.Rank);
        var shape = first.Shape;
        var total = 0;
        for (var t = 0; t < tensors.Count; t++)
        {
            var x = tensors[t];
            if (x.Rank != first.Rank)
            {
                ThrowHelper.ThrowArgument($"Cat needs tensors of the same rank, but tensor 0 has shape {ThrowHelper.FormatShape(first._shape)} and tensor {t} has shape {ThrowHelper.FormatShape(x._shape)}.", nameof(tensors));
            }

            for (var i = 0; i < first.Rank; i++)
            {
                if (i != d && x._shape[i] != first._shape[i])
                {
                    ThrowHelper.ThrowArgument($"Cat along dimension {d}: tensor {t} has shape {ThrowHelper.FormatShape(x._shape)}, which differs from {ThrowHelper.FormatShape(first._shape)} in dimension {i}.", nameof(tensors));
                }
            }

            total += x._shape[d];
        }

        shape[d] = total;
        var result = CreateUninitialized(shape);
        var offset = 0;
        var sizes = new int[tensors.Count];
        for (var t = 0; t < tensors.Count; t++)
        {
            var x = tensors[t];
            sizes[t] = x._shape[d];
            using var target = result.Slice(d, offset, offset + sizes[t]);
            result.Backend.Copy(x, x._strides, target);
            offset += sizes[t];
        }

        if (GradRecorder.Needs(tensors.ToArray()))
        {
            var inputs = tensors.ToArray();
            GradRecorder.Record(result, "CatBackward", inputs, g =>
            {
                var grads = new Tensor?[inputs.Length];
                var start = 0;
                for (var t = 0; t < inputs.Length; t++)
                {
                    if (inputs[t].RequiresGrad)
                    {
                        using var view = g.Slice(d, start, start + sizes[t]);
                        grads[t] = view.CopyContiguousRaw();
                    }

                    start += sizes[t];
                }

                return grads;
            });
        }

        return result;
    }

    /// <summary>Stacks tensors of equal shape along a new dimension.</summary>
    /// <param name="tensors">The tensors.</param>
    /// <param name="dim">The position of the new dimension.</param>
    /// <returns>The stack.</returns>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            ThrowHelper.ThrowArgument("Stack needs at least one tensor.", nameof(tensors));
        }

        for (var t = 1; t < tensors.Count; t++)
        {
            if (!tensors[t].ShapeSpan.SequenceEqual(tensors[0].ShapeSpan))
            {
                ThrowHelper.ThrowArgument($"Stack needs tensors of equal shape, but tensor 0 has shape {ThrowHelper.FormatShape(tensors[0]._shape)} and tensor {t} has shape {ThrowHelper.FormatShape(tensors[t]._shape)}.", nameof(tensors));
            }
        }

        var d = ShapeUtils.NormalizeDim(dim, tensors[0].Rank + 1);
        var expanded = tensors.Select(t => t.Unsqueeze(d)).ToArray();
        try
        {
            return Cat(expanded, d);
        }
        finally
        {
            foreach (var e in expanded)
            {
                e.Dispose();
            }
        }
    }

    /// <summary>Splits into views of <paramref name="splitSize"/> positions along <paramref name="dim"/> (the last may be shorter).</summary>
    /// <param name="splitSize">The size of each piece; positive.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The pieces.</returns>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(splitSize);
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var size = _shape[d];
        var count = Math.Max(1, (size + splitSize - 1) / splitSize);
        var sizes = new int[count];
        for (var i = 0; i < count; i++)
        {
            sizes[i] = Math.Min(splitSize, size - (i * splitSize));
        }

        return Split(sizes, d);
    }

    /// <summary>Splits into views of the given sizes along <paramref name="dim"/>.</summary>
    /// <param name="sizes">The sizes; they must sum to the dimension's size.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The pieces.</returns>
    /// <exception cref="ArgumentException">The sizes do not sum to the dimension's size.</exception>
    public Tensor[] Split(int[] sizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        if (sizes.Sum() != _shape[d] || sizes.Any(s => s < 0))
        {
            ThrowHelper.ThrowArgument($"Split sizes [{string.Join(", ", sizes)}] must be non-negative and sum to {_shape[d]}, the size of dimension {d}.", nameof(sizes));
        }

        var result = new Tensor[sizes.Length];
        var start = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            result[i] = Narrow(d, start, sizes[i]);
            start += sizes[i];
        }

        return result;
    }

    /// <summary>Splits into <paramref name="chunks"/> views of (nearly) equal size along <paramref name="dim"/>, as PyTorch's <c>chunk</c>.</summary>
    /// <param name="chunks">The number of chunks; positive.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The chunks (fewer when the dimension is small).</returns>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunks);
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var size = _shape[d];
        return Split(Math.Max(1, (size + chunks - 1) / chunks), d);
    }

    /// <summary>Gathers positions of dimension <paramref name="dim"/> (repeats allowed) into a new tensor.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="indices">The positions (negative counts from the end).</param>
    /// <returns>The gathered tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside the dimension.</exception>
    public Tensor IndexSelect(int dim, ReadOnlySpan<int> indices)
    {
        var d = ShapeUtils.NormalizeDim(dim, Rank);
        var size = _shape[d];
        var idx = new int[indices.Length];
        for (var i = 0; i < idx.Length; i++)
        {
            var v = indices[i] < 0 ? indices[i] + size : indices[i];
            if ((uint)v >= (uint)size)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(indices), indices[i], $"Index {indices[i]} at position {i} is out of range for dimension {d} of size {size}.");
            }

            idx[i] = v;
        }

        var (outer, _, inner) = SplitAt(d);
        var shape = Shape;
        shape[d] = idx.Length;
        var result = CreateUninitialized(shape);
        using var xc = AsContiguous();
        Backend.IndexSelect(xc.Tensor, outer, size, inner, idx, result);
        if (GradRecorder.Needs(this))
        {
            var inputShape = Shape;
            GradRecorder.Record(result, "IndexSelectBackward", this, g =>
            {
                using var gc = g.AsContiguous();
                var dx = CreateZeroed(inputShape);
                dx.Backend.IndexAdd(dx, outer, size, inner, idx, gc.Tensor);
                return dx;
            });
        }

        return result;
    }

    /// <summary>Gathers positions given by a tensor of integer values.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="indices">A 1-D tensor of exact integers.</param>
    /// <returns>The gathered tensor.</returns>
    public Tensor IndexSelect(int dim, Tensor indices) => IndexSelect(dim, ToIndexArray(NotNull(indices), nameof(indices)));

    /// <summary>Converts a tensor of exact integer values into an index array, rejecting fractional values.</summary>
    internal static int[] ToIndexArray(Tensor indices, string paramName)
    {
        var values = indices.ToArray();
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v != MathF.Round(v) || float.IsNaN(v) || Math.Abs(v) > int.MaxValue)
            {
                ThrowHelper.ThrowArgument($"Indices must be whole numbers, but position {i} holds {v}.", paramName);
            }

            result[i] = (int)v;
        }

        return result;
    }
}
