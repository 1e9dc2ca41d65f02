namespace NasKit.Tensors.Internal.Backends.Cpu;

/// <summary>
/// Iteration plan for element-wise work over strided operands: dimensions that are contiguous for every operand are
/// merged, size-1 dimensions dropped, and the innermost remaining dimension becomes a "row" handed to a row kernel.
/// </summary>
internal sealed class StridedPlan
{
    private readonly int[] _shape;
    private readonly int[][] _strides;

    private StridedPlan(int[] shape, int[][] strides)
    {
        _shape = shape;
        _strides = strides;
        RowLength = shape[^1];
        long rows = 1;
        for (var i = 0; i < shape.Length - 1; i++)
        {
            rows *= shape[i];
        }

        Rows = rows;
    }

    /// <summary>Gets the number of rows (product of all but the innermost merged dimension).</summary>
    public long Rows { get; }

    /// <summary>Gets the length of every row.</summary>
    public int RowLength { get; }

    /// <summary>Gets the stride of operand <paramref name="operand"/> along a row.</summary>
    public int RowStride(int operand) => _strides[operand][^1];

    /// <summary>Builds a plan for <paramref name="shape"/> and one stride array per operand.</summary>
    public static StridedPlan Create(ReadOnlySpan<int> shape, params int[][] strides)
    {
        if (shape.Contains(0))
        {
            // No elements: one empty row, so visitors never index past the end of a zero-length storage.
            return new StridedPlan([0], strides.Select(_ => new int[1]).ToArray());
        }

        var dims = new List<int>();
        var kept = new List<int[]>();
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1)
            {
                continue;
            }

            dims.Add(shape[i]);
            var s = new int[strides.Length];
            for (var k = 0; k < strides.Length; k++)
            {
                s[k] = strides[k][i];
            }

            kept.Add(s);
        }

        if (dims.Count == 0)
        {
            dims.Add(1);
            kept.Add(new int[strides.Length]);
        }

        // Merge dimension i into i+1 when every operand is contiguous across the pair.
        for (var i = dims.Count - 2; i >= 0; i--)
        {
            var mergeable = true;
            for (var k = 0; k < strides.Length; k++)
            {
                if (kept[i][k] != kept[i + 1][k] * dims[i + 1])
                {
                    mergeable = false;
                    break;
                }
            }

            if (mergeable)
            {
                dims[i + 1] *= dims[i];
                dims.RemoveAt(i);
                kept.RemoveAt(i);
            }
        }

        var finalStrides = new int[strides.Length][];
        for (var k = 0; k < strides.Length; k++)
        {
            finalStrides[k] = new int[dims.Count];
            for (var i = 0; i < dims.Count; i++)
            {
                finalStrides[k][i] = kept[i][k];
            }
        }

        return new StridedPlan([.. dims], finalStrides);
    }

    /// <summary>Computes the offsets (relative to each operand's base) of the start of row <paramref name="row"/>.</summary>
    public void RowOffsets(long row, Span<int> offsets)
    {
        offsets.Clear();
        for (var d = _shape.Length - 2; d >= 0; d--)
        {
            var idx = (int)(row % _shape[d]);
            row /= _shape[d];
            for (var k = 0; k < _strides.Length; k++)
            {
                offsets[k] += idx * _strides[k][d];
            }
        }
    }

    /// <summary>Visits rows [<paramref name="start"/>, <paramref name="end"/>), giving each row's start offsets to <paramref name="visit"/>.</summary>
    public void ForEachRow(long start, long end, Action<int[]> visit)
    {
        if (start >= end)
        {
            return;
        }

        var operands = _strides.Length;
        var offsets = new int[operands];
        RowOffsets(start, offsets);
        var outerRank = _shape.Length - 1;
        var index = new int[Math.Max(outerRank, 1)];
        var rem = start;
        for (var d = outerRank - 1; d >= 0; d--)
        {
            index[d] = (int)(rem % _shape[d]);
            rem /= _shape[d];
        }

        for (var row = start; row < end; row++)
        {
            visit(offsets);

            // Advance the odometer over the outer dimensions.
            for (var d = outerRank - 1; d >= 0; d--)
            {
                index[d]++;
                for (var k = 0; k < operands; k++)
                {
                    offsets[k] += _strides[k][d];
                }

                if (index[d] < _shape[d])
                {
                    break;
                }

                for (var k = 0; k < operands; k++)
                {
                    offsets[k] -= _strides[k][d] * _shape[d];
                }

                index[d] = 0;
            }
        }
    }
}
