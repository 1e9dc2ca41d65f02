using BenchmarkDotNet.Attributes;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Benchmarks.Elementwise;

/// <summary>Element-wise kernels (broadcast add, ReLU, exact GELU) against one scalar loop each.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Elementwise")]
public class ElementwiseBenchmarks : TensorBenchmark
{
    private const int AddRows = 4;

    private Tensor _x = null!;
    private Tensor _rows = null!;
    private float[] _xData = [];
    private float[] _rowsData = [];

    /// <summary>Gets or sets the operation.</summary>
    [ParamsAllValues]
    public ElementwiseOp Op { get; set; }

    /// <summary>Gets or sets the element count: a power of two, the same plus 7 (a ragged SIMD tail), and a size past the L2 cache.</summary>
    [Params(4096, 4096 + 7, 1 << 18)]
    public int Size { get; set; }

    /// <summary>Draws the operands from seeded normal distributions (scaled so GELU sees its curved region and both tails).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = Own(Tensor.Normal([Size], 0f, 2f, Seeded(1)));
        _rows = Own(Tensor.Normal([AddRows, Size], 0f, 2f, Seeded(2)));
        _xData = _x.ToArray();
        _rowsData = _rows.ToArray();
    }

    /// <summary>Applies the operation with one scalar loop.</summary>
    /// <returns>The result, row-major.</returns>
    [Benchmark(Baseline = true)]
    public float[] ScalarLoop()
    {
        var x = _xData;
        switch (Op)
        {
            case ElementwiseOp.AddBroadcast:
            {
                var a = _rowsData;
                var y = new float[a.Length];
                for (var r = 0; r < AddRows; r++)
                {
                    var o = r * Size;
                    for (var i = 0; i < Size; i++)
                    {
                        y[o + i] = a[o + i] + x[i];
                    }
                }

                return y;
            }

            case ElementwiseOp.Relu:
            {
                var y = new float[x.Length];
                for (var i = 0; i < x.Length; i++)
                {
                    y[i] = x[i] > 0f ? x[i] : 0f;
                }

                return y;
            }

            case ElementwiseOp.Gelu:
            {
                var y = new float[x.Length];
                for (var i = 0; i < x.Length; i++)
                {
                    double v = x[i];
                    y[i] = (float)(0.5 * v * (1.0 + Erf(v * 0.70710678118654752)));
                }

                return y;
            }

            default:
                throw new InvalidOperationException($"Unknown element-wise op {Op}.");
        }
    }

    /// <summary>Applies the operation with the engine.</summary>
    /// <returns>The result tensor.</returns>
    [Benchmark]
    public Tensor Engine() => Publish(Op switch
    {
        ElementwiseOp.AddBroadcast => _rows.Add(_x),
        ElementwiseOp.Relu => Functional.Relu(_x),
        ElementwiseOp.Gelu => Functional.Gelu(_x),
        _ => throw new InvalidOperationException($"Unknown element-wise op {Op}."),
    });

    // erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), in double: enough for a float32 reference.
    private static double Erf(double v)
    {
        var sign = v < 0 ? -1.0 : 1.0;
        var a = Math.Abs(v);
        var t = 1.0 / (1.0 + (0.3275911 * a));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        return sign * (1.0 - (poly * Math.Exp(-a * a)));
    }
}
