namespace NasKit.SearchSpace.Nb201;

/// <summary>Names the five candidate operations of a NAS-Bench-201 edge; the numeric values are the benchmark's op indices (its <c>OPS</c> list order).</summary>
public enum Nb201Operation
{
    /// <summary>The zero operation (<c>none</c>): the edge contributes x·0.</summary>
    None = 0,

    /// <summary>The identity (<c>skip_connect</c>).</summary>
    SkipConnect = 1,

    /// <summary>ReLU → 1×1 convolution without bias → batch norm (<c>nor_conv_1x1</c>).</summary>
    NorConv1x1 = 2,

    /// <summary>ReLU → 3×3 convolution without bias, padding 1 → batch norm (<c>nor_conv_3x3</c>).</summary>
    NorConv3x3 = 3,

    /// <summary>3×3 average pooling, stride 1, padding 1, padded zeros not counted (<c>avg_pool_3x3</c>).</summary>
    AvgPool3x3 = 4,
}
