namespace NasKit.Tensors.Benchmarks.Pooling;

/// <summary>The pooling layers of <see cref="PoolingBenchmarks"/>.</summary>
public enum PoolingOp
{
    /// <summary>Max pooling, 2x2 window, stride 2 (the reduction step of most CNNs).</summary>
    MaxPool2x2 = 0,

    /// <summary>Average pooling, 3x3 window, stride 1, padding 1, padded positions not counted (NAS-Bench-201's avg_pool_3x3).</summary>
    AvgPool3x3 = 1,

    /// <summary>Adaptive average pooling to 7x7 (uneven, overlapping bins when the side is not a multiple of 7).</summary>
    AdaptiveAvgPool7x7 = 2,

    /// <summary>Global average pooling to [N, C] (the classifier head).</summary>
    GlobalAvgPool = 3,
}
