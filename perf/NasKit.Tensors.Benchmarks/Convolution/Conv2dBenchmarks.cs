using BenchmarkDotNet.Attributes;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Benchmarks.Convolution;

/// <summary>Forward 2-D convolution (Functional.Conv2d) against a direct seven-loop convolution.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Convolution")]
public class Conv2dBenchmarks : TensorBenchmark
{
    private const int Batch = 8;

    private Tensor _input = null!;
    private Tensor _weight = null!;
    private Tensor? _bias;
    private float[] _inputData = [];
    private float[] _weightData = [];
    private float[]? _biasData;
    private Geometry _g;

    /// <summary>Gets or sets the layer.</summary>
    [ParamsAllValues]
    public Conv2dCase Case { get; set; }

    /// <summary>Draws the input, weight and bias from seeded distributions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _g = Describe(Case);
        var cinPerGroup = _g.InChannels / _g.Groups;
        _input = Own(Tensor.Randn([Batch, _g.InChannels, _g.Size, _g.Size], Seeded(1)));
        // Kaiming-like scale keeps outputs O(1) so the float32 tolerance of the validation test stays meaningful.
        var bound = 1f / MathF.Sqrt(cinPerGroup * _g.Kernel * _g.Kernel);
        _weight = Own(Tensor.Uniform([_g.OutChannels, cinPerGroup, _g.Kernel, _g.Kernel], -bound, bound, Seeded(2)));
        _bias = _g.HasBias ? Own(Tensor.Uniform([_g.OutChannels], -bound, bound, Seeded(3))) : null;
        _inputData = _input.ToArray();
        _weightData = _weight.ToArray();
        _biasData = _bias?.ToArray();
    }

    /// <summary>Computes the convolution with direct nested loops over batch, output channel, output position, input channel and kernel tap.</summary>
    /// <returns>The output, [N, C_out, H_out, W_out] row-major.</returns>
    [Benchmark(Baseline = true)]
    public float[] DirectLoops()
    {
        var g = _g;
        var x = _inputData;
        var w = _weightData;
        var b = _biasData;
        int h = g.Size, wd = g.Size, k = g.Kernel, s = g.Stride, pad = g.Padding;
        var outSize = ((g.Size + (2 * pad) - k) / s) + 1;
        var cinPerGroup = g.InChannels / g.Groups;
        var coutPerGroup = g.OutChannels / g.Groups;
        var y = new float[Batch * g.OutChannels * outSize * outSize];
        for (var n = 0; n < Batch; n++)
        {
            for (var oc = 0; oc < g.OutChannels; oc++)
            {
                var firstIc = oc / coutPerGroup * cinPerGroup;
                for (var oy = 0; oy < outSize; oy++)
                {
                    for (var ox = 0; ox < outSize; ox++)
                    {
                        var acc = b is null ? 0f : b[oc];
                        for (var ic = 0; ic < cinPerGroup; ic++)
                        {
                            var xPlane = ((n * g.InChannels) + firstIc + ic) * h * wd;
                            var wTaps = ((oc * cinPerGroup) + ic) * k * k;
                            for (var ky = 0; ky < k; ky++)
                            {
                                var iy = (oy * s) - pad + ky;
                                if ((uint)iy >= (uint)h)
                                {
                                    continue;
                                }

                                for (var kx = 0; kx < k; kx++)
                                {
                                    var ix = (ox * s) - pad + kx;
                                    if ((uint)ix < (uint)wd)
                                    {
                                        acc += x[xPlane + (iy * wd) + ix] * w[wTaps + (ky * k) + kx];
                                    }
                                }
                            }
                        }

                        y[(((n * g.OutChannels) + oc) * outSize * outSize) + (oy * outSize) + ox] = acc;
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Computes the convolution with <see cref="Functional.Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/>.</summary>
    /// <returns>The output.</returns>
    [Benchmark]
    public Tensor Conv2d() =>
        Publish(Functional.Conv2d(_input, _weight, _bias, stride: _g.Stride, padding: _g.Padding, groups: _g.Groups));

    private static Geometry Describe(Conv2dCase c) => c switch
    {
        Conv2dCase.Conv3x3 => new(16, 16, 32, 3, 1, 1, 1, false),
        Conv2dCase.Pointwise1x1 => new(16, 32, 32, 1, 1, 0, 1, false),
        Conv2dCase.Depthwise3x3 => new(16, 16, 32, 3, 1, 1, 16, false),
        Conv2dCase.Stride2Conv3x3 => new(16, 32, 32, 3, 2, 1, 1, false),
        Conv2dCase.OddConv3x3 => new(15, 17, 31, 3, 1, 1, 1, true),
        Conv2dCase.Wide3x3 => new(64, 64, 8, 3, 1, 1, 1, false),
        Conv2dCase.OddWide3x3 => new(33, 47, 27, 3, 1, 1, 1, true),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, $"Unknown convolution case {c}."),
    };

    private readonly record struct Geometry(int InChannels, int OutChannels, int Size, int Kernel, int Stride, int Padding, int Groups, bool HasBias);
}
