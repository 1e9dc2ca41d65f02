using System.Globalization;
using NasKit.SearchSpace.Operations.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations;

/// <summary>
/// The dilated depthwise-separable convolution of the DARTS space (<c>dil_conv_k×k</c>): ReLU → depthwise k×k with dilation
/// (stride s) → pointwise 1×1 → BatchNorm.
/// </summary>
/// <remarks>Convolutions have no bias. Child names: <c>dw</c>, <c>pw</c>, <c>bn</c>. During inference (evaluation mode, no gradient
/// recording, running statistics, no hooks) the batch norm is folded into the pointwise convolution (<see cref="ConvBatchNormFolding"/>).</remarks>
public sealed class DilConv : Module<Tensor, Tensor>
{
    private readonly Conv2d _dw;
    private readonly Conv2d _pw;
    private readonly BatchNorm2d _bn;
    private ConvBatchNormFolding? _folding;

    /// <summary>Initializes a new instance of the <see cref="DilConv"/> class.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="kernelSize">The square kernel size of the depthwise convolution (3 or 5 in DARTS).</param>
    /// <param name="stride">The stride of the depthwise convolution.</param>
    /// <param name="padding">The zero padding (dilation · (k − 1) / 2 keeps the size).</param>
    /// <param name="dilation">The dilation of the depthwise convolution (2 in DARTS).</param>
    /// <param name="affine">Whether the batch norm has a learnable scale and shift.</param>
    /// <param name="generator">The random source for the convolutions' weights; null uses the default generator.</param>
    /// <exception cref="ArgumentException">A channel count, kernel size, stride or dilation is not positive, or the padding is negative.</exception>
    public DilConv(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, bool affine = true, Generator? generator = null)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Dilation = dilation;
        _dw = RegisterModule("dw", new Conv2d(inChannels, inChannels, kernelSize, stride, padding, dilation, groups: inChannels, bias: false, generator: generator));
        _pw = RegisterModule("pw", new Conv2d(inChannels, outChannels, 1, bias: false, generator: generator));
        _bn = RegisterModule("bn", new BatchNorm2d(outChannels, affine: affine));
    }

    /// <summary>Gets the input channels.</summary>
    public int InChannels { get; }

    /// <summary>Gets the output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Gets the kernel size.</summary>
    public int KernelSize { get; }

    /// <summary>Gets the stride.</summary>
    public int Stride { get; }

    /// <summary>Gets the dilation.</summary>
    public int Dilation { get; }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, dilation={Dilation}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var r = Functional.Relu(input);
        using var d = _dw.Call(r);
        return ConvBatchNormPath.Run(ref _folding, IsTraining, _pw, _bn, d);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ConvBatchNormPath.Release(ref _folding, _pw);
        }

        base.Dispose(disposing);
    }
}
