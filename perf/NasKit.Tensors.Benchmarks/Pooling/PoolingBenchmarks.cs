using BenchmarkDotNet.Attributes;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Benchmarks.Pooling;

/// <summary>Forward 2-D pooling (Functional.MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, GlobalAvgPool2d) against window loops.</summary>
/// <remarks>The input is [8, 16, Size, Size].</remarks>
[MemoryDiagnoser]
[BenchmarkCategory("Pooling")]
public class PoolingBenchmarks : TensorBenchmark
{
    private const int Batch = 8;
    private const int Channels = 16;
    private const int AdaptiveSide = 7;

    private Tensor _input = null!;
    private float[] _x = [];

    /// <summary>Gets or sets the pooling layer.</summary>
    [ParamsAllValues]
    public PoolingOp Op { get; set; }

    /// <summary>Gets or sets the side of the feature maps: a power of two and an odd size.</summary>
    [Params(32, 31)]
    public int Size { get; set; }

    /// <summary>Draws the input from a seeded normal distribution.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _input = Own(Tensor.Randn([Batch, Channels, Size, Size], Seeded(1)));
        _x = _input.ToArray();
    }

    /// <summary>Pools each window of each plane with plain loops.</summary>
    /// <returns>The pooled planes, row-major.</returns>
    [Benchmark(Baseline = true)]
    public float[] WindowLoops() => Op switch
    {
        PoolingOp.MaxPool2x2 => Windowed(2, 2, 0, max: true),
        PoolingOp.AvgPool3x3 => Windowed(3, 1, 1, max: false),
        PoolingOp.AdaptiveAvgPool7x7 => Adaptive(AdaptiveSide),
        PoolingOp.GlobalAvgPool => Adaptive(1),
        _ => throw new InvalidOperationException($"Unknown pooling op {Op}."),
    };

    /// <summary>Pools with the engine's functional form.</summary>
    /// <returns>The pooled tensor.</returns>
    [Benchmark]
    public Tensor Pool() => Publish(Op switch
    {
        PoolingOp.MaxPool2x2 => Functional.MaxPool2d(_input, 2),
        PoolingOp.AvgPool3x3 => Functional.AvgPool2d(_input, 3, stride: 1, padding: 1, countIncludePad: false),
        PoolingOp.AdaptiveAvgPool7x7 => Functional.AdaptiveAvgPool2d(_input, AdaptiveSide),
        PoolingOp.GlobalAvgPool => Functional.GlobalAvgPool2d(_input),
        _ => throw new InvalidOperationException($"Unknown pooling op {Op}."),
    });

    // Max or average (padding excluded from the count) over k x k windows with the given stride and padding.
    private float[] Windowed(int k, int stride, int pad, bool max)
    {
        int side = Size, outSide = ((side + (2 * pad) - k) / stride) + 1, planes = Batch * Channels;
        var y = new float[planes * outSide * outSide];
        for (var p = 0; p < planes; p++)
        {
            var xo = p * side * side;
            for (var oy = 0; oy < outSide; oy++)
            {
                for (var ox = 0; ox < outSide; ox++)
                {
                    var acc = max ? float.NegativeInfinity : 0f;
                    var count = 0;
                    for (var ky = 0; ky < k; ky++)
                    {
                        var iy = (oy * stride) - pad + ky;
                        for (var kx = 0; kx < k; kx++)
                        {
                            var ix = (ox * stride) - pad + kx;
                            if ((uint)iy >= (uint)side || (uint)ix >= (uint)side)
                            {
                                continue;
                            }

                            var v = _x[xo + (iy * side) + ix];
                            acc = max ? MathF.Max(acc, v) : acc + v;
                            count++;
                        }
                    }

                    y[(p * outSide * outSide) + (oy * outSide) + ox] = max ? acc : acc / count;
                }
            }
        }

        return y;
    }

    // Adaptive average pooling: output bin i covers rows floor(i·H/out) .. ceil((i+1)·H/out) − 1.
    private float[] Adaptive(int outSide)
    {
        int side = Size, planes = Batch * Channels;
        var y = new float[planes * outSide * outSide];
        for (var p = 0; p < planes; p++)
        {
            var xo = p * side * side;
            for (var oy = 0; oy < outSide; oy++)
            {
                int y0 = oy * side / outSide, y1 = (((oy + 1) * side) + outSide - 1) / outSide;
                for (var ox = 0; ox < outSide; ox++)
                {
                    int x0 = ox * side / outSide, x1 = (((ox + 1) * side) + outSide - 1) / outSide;
                    double sum = 0;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        for (var ix = x0; ix < x1; ix++)
                        {
                            sum += _x[xo + (iy * side) + ix];
                        }
                    }

                    y[(p * outSide * outSide) + (oy * outSide) + ox] = (float)(sum / ((y1 - y0) * (x1 - x0)));
                }
            }
        }

        return y;
    }
}
