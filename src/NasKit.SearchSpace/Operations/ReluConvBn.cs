using System.Globalization;
using NasKit.SearchSpace.Operations.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations;

/// <summary>
/// The ReLU → Conv2d (no bias) → BatchNorm2d operation of cell-based spaces (NAS-Bench-201's <c>nor_conv_k×k</c>, DARTS's
/// preprocessing and its <c>ReLUConvBN</c>).
/// </summary>
/// <remarks>In evaluation mode under <see cref="Autograd.NoGrad"/>, with running statistics and no hooks on the convolution or
/// the batch norm, the whole block is one convolution (<see cref="ConvBatchNormFolding"/>): the batch norm folded into its weights,
/// the ReLU applied as it reads its input; no normalisation or activation pass. Otherwise (training included) the ReLU is still
/// applied as the convolution reads its input (<see cref="Conv2d.CallWithInputRelu"/>): no rectified tensor is made or kept.</remarks>
public sealed class ReluConvBn : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;
    private ConvBatchNormFolding? _folding;

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
        return ConvBatchNormPath.Run(ref _folding, IsTraining, _conv, _bn, input, reluInput: true);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ConvBatchNormPath.Release(ref _folding, _conv);
        }

        base.Dispose(disposing);
    }
}
