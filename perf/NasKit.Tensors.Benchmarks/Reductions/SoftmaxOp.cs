namespace NasKit.Tensors.Benchmarks.Reductions;

/// <summary>The normalisations of <see cref="SoftmaxBenchmarks"/>.</summary>
public enum SoftmaxOp
{
    /// <summary>exp(x − max) / Σ exp(x − max) per row.</summary>
    Softmax = 0,

    /// <summary>x − max − log Σ exp(x − max) per row.</summary>
    LogSoftmax = 1,
}
