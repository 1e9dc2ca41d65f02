using System.Globalization;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations;

/// <summary>
/// The ReLU → Conv2d (no bias) → BatchNorm2d operation of cell-based spaces (NAS-Bench-201's <c>nor_conv_k×k</c>, DARTS's
/// preprocessing and its <c>ReLUConvBN</c>).
/// </summary>
public sealed class ReluConvBn : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;

    /// <summary>Initializes a new instance of the <see cref="ReluConvBn"/> class.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="kernelSize">The square kernel size.</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The zero padding on each side.</param>
    /// <param name="dilation">The dilation.</param>
    /// <param name="affine">Whether the batch norm has a learnable scale and shift.</param>
    /// <param name="trackRunningStats">Whether the batch norm keeps running statistics for evaluation.</param>
    /// <param name="generator">The random source for the convolution's weights; null uses the default generator.</param>
    public ReluConvBn(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation = 1, bool affine = true, bool trackRunningStats = true, Generator? generator = null)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        _conv = RegisterModule("conv", new Conv2d(inChannels, outChannels, kernelSize, stride, padding, dilation, bias: false, generator: generator));
        _bn = RegisterModule("bn", new BatchNorm2d(outChannels, affine: affine, trackRunningStats: trackRunningStats));
    }

    /// <summary>Gets the input channels.</summary>
    public int InChannels { get; }

    /// <summary>Gets the output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Gets the kernel size.</summary>
    public int KernelSize { get; }

    /// <summary>Gets the stride.</summary>
    public int Stride { get; }

    /// <summary>Gets the convolution.</summary>
    public Conv2d Convolution => _conv;

    /// <summary>Gets the batch normalisation.</summary>
    public BatchNorm2d BatchNorm => _bn;

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        using var r = Functional.Relu(input);
        using var c = _conv.Call(r);
        return _bn.Call(c);
    }
}
