namespace NasKit.Tensors.Benchmarks.Reductions;

/// <summary>The reductions of <see cref="ReductionBenchmarks"/>.</summary>
public enum ReductionOp
{
    /// <summary>The sum along one dimension.</summary>
    Sum = 0,

    /// <summary>The largest value along one dimension and its index.</summary>
    Max = 1,
}
