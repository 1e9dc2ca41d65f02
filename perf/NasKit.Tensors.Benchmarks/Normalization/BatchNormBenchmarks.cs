using BenchmarkDotNet.Attributes;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Benchmarks.Normalization;

/// <summary>Training-mode 2-D batch normalisation (Functional.BatchNorm with batch statistics), forward and backward, against scalar loops.</summary>
/// <remarks>The input is [8, 16, Size, Size]; the backward pass gets a fixed random output gradient and yields dx, dγ and dβ.</remarks>
[MemoryDiagnoser]
[BenchmarkCategory("BatchNorm")]
public class BatchNormBenchmarks : TensorBenchmark
{
    private const int Batch = 8;
    private const int Channels = 16;
    private const float Eps = 1e-5f;

    private Tensor _input = null!;
    private Tensor _gamma = null!;
    private Tensor _beta = null!;
    private Tensor _gradOutput = null!;
    private float[] _x = [];
    private float[] _g = [];
    private float[] _b = [];
    private float[] _gy = [];

    /// <summary>Gets or sets the side of the feature maps: a power of two and an odd size.</summary>
    [Params(32, 31)]
    public int Size { get; set; }

    /// <summary>Gets or sets whether the backward pass is measured too.</summary>
    [ParamsAllValues]
    public Pass Pass { get; set; }

    /// <summary>Draws the input, γ, β and the output gradient from seeded distributions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[] shape = [Batch, Channels, Size, Size];
        _input = Own(Tensor.Normal(shape, 0.5f, 2f, Seeded(1)).WithRequiresGrad());
        _gamma = Own(Tensor.Uniform([Channels], 0.5f, 1.5f, Seeded(2)).WithRequiresGrad());
        _beta = Own(Tensor.Uniform([Channels], -0.5f, 0.5f, Seeded(3)).WithRequiresGrad());
        _gradOutput = Own(Tensor.Randn(shape, Seeded(4)));
        _x = _input.ToArray();
        _g = _gamma.ToArray();
        _b = _beta.ToArray();
        _gy = _gradOutput.ToArray();
    }

    /// <summary>Computes the batch statistics, the normalised output and (for <see cref="Pass.ForwardBackward"/>) the gradients with plain loops.</summary>
    /// <returns>y, then dx, dγ and dβ when the backward pass is measured.</returns>
    [Benchmark(Baseline = true)]
    public float[][] ScalarLoops()
    {
        var plane = Size * Size;
        var count = Batch * plane;
        var y = new float[_x.Length];
        var mean = new float[Channels];
        var invStd = new float[Channels];
        for (var c = 0; c < Channels; c++)
        {
            double sum = 0, sumSq = 0;
            for (var n = 0; n < Batch; n++)
            {
                var o = ((n * Channels) + c) * plane;
                for (var i = 0; i < plane; i++)
                {
                    double v = _x[o + i];
                    sum += v;
                    sumSq += v * v;
                }
            }

            var mu = sum / count;
            var variance = Math.Max((sumSq / count) - (mu * mu), 0.0);
            mean[c] = (float)mu;
            invStd[c] = (float)(1.0 / Math.Sqrt(variance + Eps));
            float scale = _g[c] * invStd[c], shift = _b[c] - (mean[c] * scale);
            for (var n = 0; n < Batch; n++)
            {
                var o = ((n * Channels) + c) * plane;
                for (var i = 0; i < plane; i++)
                {
                    y[o + i] = (_x[o + i] * scale) + shift;
                }
            }
        }

        if (Pass == Pass.Forward)
        {
            return [y];
        }

        // dβ = Σ gy, dγ = Σ gy·x̂, dx = γ·invStd·(gy − dβ/count − x̂·dγ/count).
        var dx = new float[_x.Length];
        var dGamma = new float[Channels];
        var dBeta = new float[Channels];
        for (var c = 0; c < Channels; c++)
        {
            double sumGy = 0, sumGyXhat = 0;
            for (var n = 0; n < Batch; n++)
            {
                var o = ((n * Channels) + c) * plane;
                for (var i = 0; i < plane; i++)
                {
                    double gy = _gy[o + i];
                    sumGy += gy;
                    sumGyXhat += gy * (_x[o + i] - mean[c]) * invStd[c];
                }
            }

            dBeta[c] = (float)sumGy;
            dGamma[c] = (float)sumGyXhat;
            float meanGy = (float)(sumGy / count), meanGyXhat = (float)(sumGyXhat / count), k = _g[c] * invStd[c];
            for (var n = 0; n < Batch; n++)
            {
                var o = ((n * Channels) + c) * plane;
                for (var i = 0; i < plane; i++)
                {
                    var xHat = (_x[o + i] - mean[c]) * invStd[c];
                    dx[o + i] = k * (_gy[o + i] - meanGy - (xHat * meanGyXhat));
                }
            }
        }

        return [y, dx, dGamma, dBeta];
    }

    /// <summary>Runs <see cref="Functional.BatchNorm"/> in training mode and, for <see cref="Pass.ForwardBackward"/>, <see cref="Autograd.Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool, bool)"/>.</summary>
    /// <returns>y, then dx, dγ and dβ when the backward pass is measured.</returns>
    [Benchmark]
    public Tensor[] BatchNorm()
    {
        using var scope = TensorScope.Begin();
        if (Pass == Pass.Forward)
        {
            using (Autograd.NoGrad())
            {
                return Publish([scope.MoveToOuter(Functional.BatchNorm(_input, null, null, _gamma, _beta, training: true, eps: Eps))]);
            }
        }

        var y = Functional.BatchNorm(_input, null, null, _gamma, _beta, training: true, eps: Eps);
        var grads = Autograd.Grad([y], [_input, _gamma, _beta], [_gradOutput]);
        return Publish(scope.MoveToOuter(y), scope.MoveToOuter(grads[0]!), scope.MoveToOuter(grads[1]!), scope.MoveToOuter(grads[2]!));
    }
}
