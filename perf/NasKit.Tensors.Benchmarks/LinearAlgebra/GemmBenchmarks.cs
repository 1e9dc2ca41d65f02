using BenchmarkDotNet.Attributes;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Benchmarks.LinearAlgebra;

/// <summary>Matrix multiplication (Tensor.Mm and the B-transposed path behind Functional.Linear) against a naive i-k-j loop.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Gemm")]
public class GemmBenchmarks : TensorBenchmark
{
    private Tensor _a = null!;
    private Tensor _b = null!;
    private Tensor _bTransposed = null!;
    private float[] _aData = [];
    private float[] _bData = [];
    private int _m;
    private int _k;
    private int _n;

    /// <summary>Gets or sets the problem shape.</summary>
    [ParamsAllValues]
    public GemmShape Shape { get; set; }

    /// <summary>Draws A and B from a seeded normal distribution.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_m, _k, _n) = Dimensions(Shape);
        _a = Own(Tensor.Randn([_m, _k], Seeded(1)));
        _b = Own(Tensor.Randn([_k, _n], Seeded(2)));
        using (var t = _b.T)
        {
            _bTransposed = Own(t.Contiguous());
        }

        _aData = _a.ToArray();
        _bData = _b.ToArray();
    }

    /// <summary>Computes C = A·B with three plain loops in i-k-j order (row-major friendly, no blocking, no SIMD).</summary>
    /// <returns>C, row-major.</returns>
    [Benchmark(Baseline = true)]
    public float[] NaiveLoops()
    {
        int m = _m, k = _k, n = _n;
        var a = _aData;
        var b = _bData;
        var c = new float[m * n];
        for (var i = 0; i < m; i++)
        {
            var cRow = i * n;
            for (var p = 0; p < k; p++)
            {
                var aip = a[(i * k) + p];
                var bRow = p * n;
                for (var j = 0; j < n; j++)
                {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }

        return c;
    }

    /// <summary>Computes C = A·B with <see cref="Tensor.Mm(Tensor)"/>.</summary>
    /// <returns>C.</returns>
    [Benchmark]
    public Tensor Mm() => Publish(_a.Mm(_b));

    /// <summary>Computes C = A·(Bᵀ)ᵀ with <see cref="Functional.Linear(Tensor, Tensor, Tensor?)"/>, which multiplies by a transposed weight.</summary>
    /// <returns>C.</returns>
    [Benchmark]
    public Tensor LinearTransposedWeight() => Publish(Functional.Linear(_a, _bTransposed));

    private static (int M, int K, int N) Dimensions(GemmShape shape) => shape switch
    {
        GemmShape.Square64 => (64, 64, 64),
        GemmShape.Square256 => (256, 256, 256),
        GemmShape.Square257 => (257, 257, 257),
        GemmShape.Square512 => (512, 512, 512),
        GemmShape.Tall4096x64x64 => (4096, 64, 64),
        GemmShape.Skinny16x1024x1000 => (16, 1024, 1000),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, $"Unknown GEMM shape {shape}."),
    };
}
