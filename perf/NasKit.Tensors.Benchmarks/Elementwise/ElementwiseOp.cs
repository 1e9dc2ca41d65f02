namespace NasKit.Tensors.Benchmarks.Elementwise;

/// <summary>The element-wise operations of <see cref="ElementwiseBenchmarks"/>.</summary>
public enum ElementwiseOp
{
    /// <summary>a + b with a of shape [4, Size] and b of shape [Size], broadcast over the rows.</summary>
    AddBroadcast = 0,

    /// <summary>max(x, 0) over Size elements.</summary>
    Relu = 1,

    /// <summary>The exact (erf-based) GELU, x·Φ(x), over Size elements.</summary>
    Gelu = 2,
}
