namespace NasKit.Tensors.Internal.Backends;

/// <summary>Reductions over the middle axis of an [outer, reduce, inner] view.</summary>
internal enum ReduceOp
{
    Sum,
    Mean,
    Max,
    Min,
    LogSumExp,

    /// <summary>Variance with correction alpha (1 = unbiased).</summary>
    Var,

    /// <summary>p-norm with p = alpha (p = +inf gives max |x|).</summary>
    Norm,
}
