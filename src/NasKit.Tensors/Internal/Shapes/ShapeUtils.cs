using System.Globalization;

namespace NasKit.Tensors.Internal.Shapes;

/// <summary>Shape arithmetic shared by every op: strides, broadcasting, dimension normalisation.</summary>
internal static class ShapeUtils
{
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            n *= d;
        }

        if (n > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument($"A tensor of shape {ThrowHelper.FormatShape(shape)} has {n} elements, more than the {Array.MaxLength} a single storage can hold.");
        }

        return (int)n;
    }

    public static int[] ValidateShape(ReadOnlySpan<int> shape, string paramName = "shape")
    {
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                ThrowHelper.ThrowArgument($"Every dimension of a shape must be >= 0, but dimension {i} of {ThrowHelper.FormatShape(shape)} is {shape[i]}.", paramName);
            }
        }

        _ = Numel(shape);
        return shape.ToArray();
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        // A tensor without elements has no layout to violate (PyTorch calls it contiguous). Without this, a zero-size dimension
        // followed by others (shape [2, 0, 3]) looked strided and sent copies down paths that index its empty storage.
        if (shape.Contains(0))
        {
            return true;
        }

        var expected = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1)
            {
                continue;
            }

            if (strides[i] != expected)
            {
                return false;
            }

            expected *= shape[i];
        }

        return true;
    }

    /// <summary>Normalises a possibly negative dimension index against <paramref name="rank"/>.</summary>
    public static int NormalizeDim(int dim, int rank, string paramName = "dim")
    {
        var r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, dim, $"Dimension out of range: expected a value in [{-r}, {r - 1}] for a tensor of rank {rank}, but got {dim}.");
        }

        return dim < 0 ? dim + r : dim;
    }

    /// <summary>Normalises a set of dimensions, rejecting duplicates; <c>null</c> or empty means every dimension.</summary>
    public static bool[] ReductionMask(int[]? dims, int rank)
    {
        var mask = new bool[rank];
        if (dims is null || dims.Length == 0)
        {
            Array.Fill(mask, true);
            return mask;
        }

        foreach (var d in dims)
        {
            var n = NormalizeDim(d, rank, nameof(dims));
            if (rank == 0)
            {
                continue;
            }

            if (mask[n])
            {
                ThrowHelper.ThrowArgument($"Dimension {d} appears more than once in the reduction dimensions [{string.Join(", ", dims)}].", nameof(dims));
            }

            mask[n] = true;
        }

        return mask;
    }

    /// <summary>Computes the NumPy broadcast of two shapes, with an error that names both.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                ThrowHelper.ThrowArgument(string.Create(CultureInfo.InvariantCulture,
                    $"Shapes {ThrowHelper.FormatShape(a)} and {ThrowHelper.FormatShape(b)} cannot be broadcast together: dimension {i} of the result would need both {da} and {db}."));
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    /// <summary>Gets strides that view a tensor of <paramref name="shape"/>/<paramref name="strides"/> as <paramref name="target"/> (stride 0 on broadcast dims).</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        var offset = target.Length - shape.Length;
        if (offset < 0)
        {
            ThrowHelper.ThrowArgument($"Cannot expand a tensor of shape {ThrowHelper.FormatShape(shape)} to the smaller rank of {ThrowHelper.FormatShape(target)}.");
        }

        for (var i = 0; i < target.Length; i++)
        {
            if (i < offset)
            {
                result[i] = 0;
                continue;
            }

            var d = shape[i - offset];
            if (d == target[i])
            {
                result[i] = d == 1 ? 0 : strides[i - offset];
            }
            else if (d == 1)
            {
                result[i] = 0;
            }
            else
            {
                ThrowHelper.ThrowArgument($"Cannot expand a tensor of shape {ThrowHelper.FormatShape(shape)} to {ThrowHelper.FormatShape(target)}: dimension {i} has size {d}, which is neither 1 nor {target[i]}.");
            }
        }

        return result;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>Resolves a shape with at most one -1 against <paramref name="numel"/> elements.</summary>
    public static int[] InferShape(ReadOnlySpan<int> shape, int numel, ReadOnlySpan<int> sourceShape)
    {
        var result = shape.ToArray();
        var inferred = -1;
        long known = 1;
        for (var i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (inferred >= 0)
                {
                    ThrowHelper.ThrowArgument($"Only one dimension can be inferred (-1), but the target shape {ThrowHelper.FormatShape(shape)} has more.");
                }

                inferred = i;
            }
            else if (result[i] < 0)
            {
                ThrowHelper.ThrowArgument($"Invalid target shape {ThrowHelper.FormatShape(shape)}: dimension {i} is {result[i]}.");
            }
            else
            {
                known *= result[i];
            }
        }

        if (inferred >= 0)
        {
            if (known == 0 || numel % known != 0)
            {
                ThrowHelper.ThrowArgument($"Cannot reshape a tensor of shape {ThrowHelper.FormatShape(sourceShape)} ({numel} elements) to {ThrowHelper.FormatShape(shape)}.");
            }

            result[inferred] = (int)(numel / known);
        }
        else if (known != numel)
        {
            ThrowHelper.ThrowArgument($"Cannot reshape a tensor of shape {ThrowHelper.FormatShape(sourceShape)} ({numel} elements) to {ThrowHelper.FormatShape(shape)} ({known} elements).");
        }

        return result;
    }

    /// <summary>
    /// Tries to compute view strides for reshaping a strided tensor without copying (PyTorch's rule):
    /// returns null when the memory layout does not allow it.
    /// </summary>
    public static int[]? ViewStrides(ReadOnlySpan<int> oldShape, ReadOnlySpan<int> oldStrides, ReadOnlySpan<int> newShape)
    {
        var newStrides = new int[newShape.Length];
        if (oldShape.Length == 0)
        {
            Array.Fill(newStrides, 1);
            return newStrides;
        }

        var numel = 1;
        foreach (var d in oldShape)
        {
            numel *= d;
        }

        if (numel == 0)
        {
            return ContiguousStrides(newShape);
        }

        var viewD = newShape.Length - 1;
        var chunkBaseStride = oldStrides[^1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (var tensorD = oldShape.Length - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                {
                    newStrides[viewD] = (int)(viewNumel * chunkBaseStride);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }

                if (viewNumel != tensorNumel)
                {
                    return null;
                }

                if (tensorD > 0)
                {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }

        return viewD != -1 ? null : newStrides;
    }
}
