namespace NasKit.SearchSpace.Darts;

/// <summary>
/// Names the eight candidate operations of the DARTS cell search space, in the order of DARTS's <c>PRIMITIVES</c> list (the integer
/// value of each member is its index there).
/// </summary>
/// <remarks>The text names (<c>sep_conv_3x3</c> and so on) are given by <see cref="DartsOperations.GetName"/>.</remarks>
public enum DartsOperation
{
    /// <summary>The zero operation (<c>none</c>): the edge is absent. Only the supernet uses it; a discrete genotype never does.</summary>
    None = 0,

    /// <summary>3×3 max pooling (<c>max_pool_3x3</c>).</summary>
    MaxPool3x3 = 1,

    /// <summary>3×3 average pooling that excludes the padding from the average (<c>avg_pool_3x3</c>).</summary>
    AvgPool3x3 = 2,

    /// <summary>The identity, or a factorized reduction when the edge has stride 2 (<c>skip_connect</c>).</summary>
    SkipConnect = 3,

    /// <summary>A 3×3 separable convolution applied twice (<c>sep_conv_3x3</c>).</summary>
    SepConv3x3 = 4,

    /// <summary>A 5×5 separable convolution applied twice (<c>sep_conv_5x5</c>).</summary>
    SepConv5x5 = 5,

    /// <summary>A 3×3 depthwise-separable convolution with dilation 2 (<c>dil_conv_3x3</c>).</summary>
    DilConv3x3 = 6,

    /// <summary>A 5×5 depthwise-separable convolution with dilation 2 (<c>dil_conv_5x5</c>).</summary>
    DilConv5x5 = 7,
}
