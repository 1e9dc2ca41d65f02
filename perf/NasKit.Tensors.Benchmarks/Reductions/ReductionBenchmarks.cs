using BenchmarkDotNet.Attributes;

namespace NasKit.Tensors.Benchmarks.Reductions;

/// <summary>Reductions along one dimension of a [64, Columns] matrix (Tensor.Sum(dim), Tensor.Max(dim)) against scalar loops.</summary>
/// <remarks>Dim 1 reduces contiguous rows; dim 0 reduces strided columns, a different kernel path.</remarks>
[MemoryDiagnoser]
[BenchmarkCategory("Reductions")]
public class ReductionBenchmarks : TensorBenchmark
{
    private const int Rows = 64;

    private Tensor _x = null!;
    private float[] _data = [];

    /// <summary>Gets or sets the reduction.</summary>
    [ParamsAllValues]
    public ReductionOp Op { get; set; }

    /// <summary>Gets or sets the reduced dimension.</summary>
    [Params(0, 1)]
    public int Dim { get; set; }

    /// <summary>Gets or sets the number of columns: a power of two and the same plus 7.</summary>
    [Params(4096, 4096 + 7)]
    public int Columns { get; set; }

    /// <summary>Draws the matrix from a seeded normal distribution (no ties, so the max indices are unique).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = Own(Tensor.Randn([Rows, Columns], Seeded(1)));
        _data = _x.ToArray();
    }

    /// <summary>Reduces with plain loops (sums accumulate in double).</summary>
    /// <returns>The reduced values, then (for <see cref="ReductionOp.Max"/>) their indices.</returns>
    [Benchmark(Baseline = true)]
    public float[][] ScalarLoops()
    {
        int outer = Dim == 0 ? Columns : Rows, length = Dim == 0 ? Rows : Columns;
        int outerStride = Dim == 0 ? 1 : Columns, innerStride = Dim == 0 ? Columns : 1;
        var values = new float[outer];
        var indices = Op == ReductionOp.Max ? new float[outer] : null;
        for (var o = 0; o < outer; o++)
        {
            var start = o * outerStride;
            if (indices is null)
            {
                double sum = 0;
                for (var i = 0; i < length; i++)
                {
                    sum += _data[start + (i * innerStride)];
                }

                values[o] = (float)sum;
            }
            else
            {
                var best = _data[start];
                var at = 0;
                for (var i = 1; i < length; i++)
                {
                    var v = _data[start + (i * innerStride)];
                    if (v > best)
                    {
                        best = v;
                        at = i;
                    }
                }

                values[o] = best;
                indices[o] = at;
            }
        }

        return indices is null ? [values] : [values, indices];
    }

    /// <summary>Reduces with the engine.</summary>
    /// <returns>The reduced values, then (for <see cref="ReductionOp.Max"/>) their indices.</returns>
    [Benchmark]
    public Tensor[] Engine()
    {
        if (Op == ReductionOp.Sum)
        {
            return Publish([_x.Sum(Dim)]);
        }

        var (values, indices) = _x.Max(Dim);
        return Publish(values, indices);
    }
}
