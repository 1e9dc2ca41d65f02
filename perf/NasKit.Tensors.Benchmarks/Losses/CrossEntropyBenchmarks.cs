using BenchmarkDotNet.Attributes;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Benchmarks.Losses;

/// <summary>Mean cross-entropy of [256, Classes] logits against class indices (Functional.CrossEntropy), forward and backward, against scalar loops.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("CrossEntropy")]
public class CrossEntropyBenchmarks : TensorBenchmark
{
    private const int Batch = 256;

    private Tensor _logits = null!;
    private float[] _data = [];
    private int[] _targets = [];

    /// <summary>Gets or sets the number of classes: a classifier's 10, a power of two and an odd size.</summary>
    [Params(10, 1024, 1031)]
    public int Classes { get; set; }

    /// <summary>Gets or sets whether the gradient with respect to the logits is measured too.</summary>
    [ParamsAllValues]
    public Pass Pass { get; set; }

    /// <summary>Draws the logits and the targets from seeded distributions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _logits = Own(Tensor.Normal([Batch, Classes], 0f, 3f, Seeded(1)).WithRequiresGrad());
        _data = _logits.ToArray();
        var rng = Seeded(2);
        _targets = new int[Batch];
        for (var i = 0; i < Batch; i++)
        {
            _targets[i] = rng.NextInt(Classes);
        }
    }

    /// <summary>Computes the loss per row via a stable log-sum-exp and, for <see cref="Pass.ForwardBackward"/>, (softmax − one-hot) / N.</summary>
    /// <returns>The loss, then the gradient with respect to the logits when the backward pass is measured.</returns>
    [Benchmark(Baseline = true)]
    public float[][] ScalarLoops()
    {
        var grad = Pass == Pass.ForwardBackward ? new float[_data.Length] : null;
        double total = 0;
        for (var r = 0; r < Batch; r++)
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

            var logSum = max + Math.Log(sum);
            total += logSum - _data[o + _targets[r]];
            if (grad is not null)
            {
                for (var j = 0; j < Classes; j++)
                {
                    var p = Math.Exp(_data[o + j] - logSum);
                    grad[o + j] = (float)((p - (j == _targets[r] ? 1.0 : 0.0)) / Batch);
                }
            }
        }

        float[] loss = [(float)(total / Batch)];
        return grad is null ? [loss] : [loss, grad];
    }

    /// <summary>Computes the loss with <see cref="Functional.CrossEntropy(Tensor, ReadOnlySpan{int}, Tensor?, int, Reduction, float)"/> and its gradient with <see cref="Autograd.Grad(Tensor, Tensor, Tensor?, bool)"/>.</summary>
    /// <returns>The loss, then the gradient with respect to the logits when the backward pass is measured.</returns>
    [Benchmark]
    public Tensor[] CrossEntropy()
    {
        using var scope = TensorScope.Begin();
        if (Pass == Pass.Forward)
        {
            using (Autograd.NoGrad())
            {
                return Publish([scope.MoveToOuter(Functional.CrossEntropy(_logits, _targets))]);
            }
        }

        var loss = Functional.CrossEntropy(_logits, _targets);
        var grad = Autograd.Grad(loss, _logits);
        return Publish(scope.MoveToOuter(loss), scope.MoveToOuter(grad));
    }
}
