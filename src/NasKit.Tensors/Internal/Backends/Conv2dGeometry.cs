namespace NasKit.Tensors.Internal.Backends;

/// <summary>Shapes and hyper-parameters of one 2-D convolution, validated by the caller.</summary>
internal readonly record struct Conv2dGeometry(
    int Batch,
    int InChannels,
    int InHeight,
    int InWidth,
    int OutChannels,
    int OutHeight,
    int OutWidth,
    int KernelH,
    int KernelW,
    int StrideH,
    int StrideW,
    int PadH,
    int PadW,
    int DilationH,
    int DilationW,
    int Groups)
{
    public int InChannelsPerGroup => InChannels / Groups;

    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Gets the length of one column of the unfolded input (per group): Cin/g · kh · kw.</summary>
    public int ColumnRows => InChannelsPerGroup * KernelH * KernelW;

    public int OutPlane => OutHeight * OutWidth;

    public int InPlane => InHeight * InWidth;

    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    public bool IsDepthwise => Groups == InChannels && Groups == OutChannels && Groups > 1;

    public long Macs => (long)Batch * OutChannels * OutPlane * ColumnRows;

    /// <summary>Gets a value indicating whether the convolution reads max(x, 0) rather than x (a ReLU fused into the input read): the
    /// forward and weight-gradient kernels rectify as they read, and the input gradient is kept where x &gt; 0.</summary>
    public bool ReluInput { get; init; }

    /// <summary>
    /// Gets a value indicating whether the weights are a long-lived tensor that takes no gradient in this call (a parameter under
    /// <c>NoGrad</c>, a frozen parameter, folded inference weights): a backend may then keep layouts derived from them between
    /// calls, keyed by the weight's storage and revalidated against its version.
    /// </summary>
    public bool StableWeights { get; init; }
}
