using System.Globalization;
using NasKit.SearchSpace.Operations.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations;

/// <summary>
/// The separable convolution of the DARTS space (<c>sep_conv_k×k</c>): two stacked depthwise-separable blocks,
/// ReLU → depthwise k×k (stride s) → pointwise 1×1 → BatchNorm → ReLU → depthwise k×k (stride 1) → pointwise 1×1 → BatchNorm.
/// </summary>
/// <remarks>
/// The first block keeps <see cref="InChannels"/> channels and carries the stride; the second maps to <see cref="OutChannels"/>.
/// Convolutions have no bias. Child names: <c>dw1</c>, <c>pw1</c>, <c>bn1</c>, <c>dw2</c>, <c>pw2</c>, <c>bn2</c>. During inference
/// (evaluation mode, no gradient recording, running statistics, no hooks) each batch norm is folded into the pointwise convolution
/// before it (<see cref="ConvBatchNormFolding"/>).
/// </remarks>
public sealed class SepConv : Module<Tensor, Tensor>
{
    private readonly Conv2d _dw1;
    private readonly Conv2d _pw1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _dw2;
    private readonly Conv2d _pw2;
    private readonly BatchNorm2d _bn2;
    private ConvBatchNormFolding? _folding1;
    private ConvBatchNormFolding? _folding2;

    /// <summary>Initializes a new instance of the <see cref="SepConv"/> class.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="kernelSize">The square kernel size of both depthwise convolutions (3 or 5 in DARTS).</param>
    /// <param name="stride">The stride of the first depthwise convolution.</param>
    /// <param name="padding">The zero padding of both depthwise convolutions ((k − 1) / 2 keeps the size).</param>
    /// <param name="affine">Whether the batch norms have a learnable scale and shift.</param>
    /// <param name="generator">The random source for the convolutions' weights; null uses the default generator.</param>
    /// <exception cref="ArgumentException">A channel count, kernel size or stride is not positive, or the padding is negative.</exception>
    public SepConv(int inChannels, int outChannels, int kernelSize, int stride, int padding, bool affine = true, Generator? generator = null)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        _dw1 = RegisterModule("dw1", new Conv2d(inChannels, inChannels, kernelSize, stride, padding, groups: inChannels, bias: false, generator: generator));
        _pw1 = RegisterModule("pw1", new Conv2d(inChannels, inChannels, 1, bias: false, generator: generator));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(inChannels, affine: affine));
        _dw2 = RegisterModule("dw2", new Conv2d(inChannels, inChannels, kernelSize, 1, padding, groups: inChannels, bias: false, generator: generator));
        _pw2 = RegisterModule("pw2", new Conv2d(inChannels, outChannels, 1, bias: false, generator: generator));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels, affine: affine));
    }

    /// <summary>Gets the input channels.</summary>
    public int InChannels { get; }

    /// <summary>Gets the output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Gets the kernel size.</summary>
    public int KernelSize { get; }

    /// <summary>Gets the stride of the first depthwise convolution.</summary>
    public int Stride { get; }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var r1 = Functional.Relu(input);
        using var d1 = _dw1.Call(r1);
        using var b1 = ConvBatchNormPath.Run(ref _folding1, IsTraining, _pw1, _bn1, d1);
        using var r2 = Functional.Relu(b1);
        using var d2 = _dw2.Call(r2);
        return ConvBatchNormPath.Run(ref _folding2, IsTraining, _pw2, _bn2, d2);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ConvBatchNormPath.Release(ref _folding1, _pw1);
            ConvBatchNormPath.Release(ref _folding2, _pw2);
        }

        base.Dispose(disposing);
    }
}
