using BenchmarkDotNet.Attributes;

namespace NasKit.Tensors.Benchmarks.Reductions;

/// <summary>Softmax and log-softmax over the last dimension of [256, Classes] logits (Tensor.Softmax/LogSoftmax) against scalar loops.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Softmax")]
public class SoftmaxBenchmarks : TensorBenchmark
{
    private const int Rows = 256;

    private Tensor _logits = null!;
    private float[] _data = [];

    /// <summary>Gets or sets the normalisation.</summary>
    [ParamsAllValues]
    public SoftmaxOp Op { get; set; }

    /// <summary>Gets or sets the row length: a classifier's 10 classes, a power of two and an odd size.</summary>
    [Params(10, 1024, 1031)]
    public int Classes { get; set; }

    /// <summary>Draws the logits from a seeded normal distribution.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _logits = Own(Tensor.Normal([Rows, Classes], 0f, 3f, Seeded(1)));
        _data = _logits.ToArray();
    }

    /// <summary>Normalises each row with three scalar passes (max, sum of exponentials, output).</summary>
    /// <returns>The result, row-major.</returns>
    [Benchmark(Baseline = true)]
    public float[] ScalarLoops()
    {
        var y = new float[_data.Length];
        for (var r = 0; r < Rows; r++)
        {
            var o = r * Classes;
            var max = float.NegativeInfinity;
            for (var j = 0; j < Classes; j++)
            {
                max = MathF.Max(max, _data[o + j]);
            }

            double sum = 0;
            for (var j = 0; j < Classes; j++)
            {
                sum += Math.Exp(_data[o + j] - max);
            }

            if (Op == SoftmaxOp.Softmax)
            {
                for (var j = 0; j < Classes; j++)
                {
                    y[o + j] = (float)(Math.Exp(_data[o + j] - max) / sum);
                }
            }
            else
            {
                var logSum = Math.Log(sum);
                for (var j = 0; j < Classes; j++)
                {
                    y[o + j] = (float)(_data[o + j] - max - logSum);
                }
            }
        }

        return y;
    }

    /// <summary>Normalises with the engine.</summary>
    /// <returns>The result tensor.</returns>
    [Benchmark]
    public Tensor Engine() => Publish(Op == SoftmaxOp.Softmax ? _logits.Softmax(1) : _logits.LogSoftmax(1));
}
