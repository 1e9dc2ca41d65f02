using System.Globalization;
using NasKit.SearchSpace.Operations.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations;

/// <summary>
/// The inverted-residual (mobile inverted bottleneck, "MBConv") block of MobileNetV2/V3 and Once-for-All: 1×1 expansion → k×k depthwise
/// convolution → optional squeeze-and-excitation → 1×1 linear projection, with an identity shortcut when the shape is preserved.
/// </summary>
/// <remarks>
/// <para>Layout (Once-for-All's <c>MBConvLayer</c>): <c>inverted_bottleneck</c> = Conv 1×1 (in → mid, no bias) → BN → activation, left out
/// when the expansion ratio is 1 (then mid = in); <c>depth_conv</c> = depthwise Conv k×k (stride, padding k/2, no bias) → BN → activation
/// → [<c>se</c>: <see cref="SqueezeExcite"/>]; <c>point_linear</c> = Conv 1×1 (mid → out, no bias) → BN, with no activation. The output is
/// added to the input when the stride is 1 and in = out. Batch norms use momentum 0.1 and eps 1e-5.</para>
/// <para>The middle width is <see cref="ChannelRounding.MakeDivisible"/>(round(in · expandRatio), 8) unless given explicitly, the rule
/// Once-for-All's elastic layers use.</para>
/// <para>Parameter names are chosen so that a future elastic supernet can serve every block of a stage from one set of maximal tensors:
/// <c>depth_conv.conv.weight</c> [mid, 1, k, k] of a smaller kernel is the centre k×k crop of the largest kernel;
/// a smaller expansion uses the first mid output channels of <c>inverted_bottleneck.conv.weight</c>, the first mid entries of every
/// batch norm and of the depthwise kernel, the first mid input channels of <c>point_linear.conv.weight</c> and of the squeeze-excite
/// expand convolution, and the first rows of its reduce convolution.</para>
/// </remarks>
public sealed class MBConvBlock : Module<Tensor, Tensor>
{
    private readonly Sequential? _invertedBottleneck;
    private readonly Sequential _depthConv;
    private readonly Sequential _pointLinear;

    /// <summary>Initializes a new instance of the <see cref="MBConvBlock"/> class.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="kernelSize">The depthwise kernel size (odd, so that the padding k/2 keeps the size at stride 1).</param>
    /// <param name="stride">The depthwise stride.</param>
    /// <param name="expandRatio">The expansion ratio of the middle width; 1 leaves out the expansion convolution.</param>
    /// <param name="activation">The activation after the expansion and the depthwise convolution.</param>
    /// <param name="useSqueezeExcite">Whether a <see cref="SqueezeExcite"/> gate follows the depthwise convolution.</param>
    /// <param name="midChannels">The middle width; null computes it from <paramref name="expandRatio"/>. Ignored when the ratio is 1.</param>
    /// <param name="generator">The random source for the weights; null uses the default generator.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, the stride or the middle width is not positive, the kernel size is not a positive odd number, or the expansion ratio is not a positive finite number.</exception>
    public MBConvBlock(
        int inChannels,
        int outChannels,
        int kernelSize,
        int stride,
        double expandRatio,
        ActivationKind activation,
        bool useSqueezeExcite,
        int? midChannels = null,
        Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        if (kernelSize <= 0 || kernelSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, $"'{nameof(kernelSize)}' must be a positive odd number so that 'same' padding exists, but got {nameof(kernelSize)}={kernelSize}.");
        }

        if (!double.IsFinite(expandRatio) || expandRatio <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expandRatio), expandRatio, $"'{nameof(expandRatio)} > 0' must hold, but got {nameof(expandRatio)}={expandRatio}.");
        }

        if (midChannels is { } m)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m, nameof(midChannels));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        ExpandRatio = expandRatio;
        Activation = activation;
        UseSqueezeExcite = useSqueezeExcite;
        HasResidual = stride == 1 && inChannels == outChannels;

        var expand = expandRatio != 1.0;
        MidChannels = !expand ? inChannels : midChannels ?? ChannelRounding.MakeDivisible(Math.Round(inChannels * expandRatio, MidpointRounding.ToEven));
        if (expand)
        {
            _invertedBottleneck = RegisterModule("inverted_bottleneck", NamedSequential.Create(
                ("conv", new Conv2d(inChannels, MidChannels, 1, bias: false, generator: generator)),
                ("bn", new BatchNorm2d(MidChannels)),
                ("act", Activations.Create(activation))));
        }

        var depthwise = new List<(string Name, Module<Tensor, Tensor> Module)>
        {
            ("conv", new Conv2d(MidChannels, MidChannels, kernelSize, stride, kernelSize / 2, groups: MidChannels, bias: false, generator: generator)),
            ("bn", new BatchNorm2d(MidChannels)),
            ("act", Activations.Create(activation)),
        };
        if (useSqueezeExcite)
        {
            depthwise.Add(("se", new SqueezeExcite(MidChannels, generator: generator)));
        }

        _depthConv = RegisterModule("depth_conv", NamedSequential.Create([.. depthwise]));
        _pointLinear = RegisterModule("point_linear", NamedSequential.Create(
            ("conv", new Conv2d(MidChannels, outChannels, 1, bias: false, generator: generator)),
            ("bn", new BatchNorm2d(outChannels))));
    }

    /// <summary>Gets the input channels.</summary>
    public int InChannels { get; }

    /// <summary>Gets the output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Gets the middle (expanded) width.</summary>
    public int MidChannels { get; }

    /// <summary>Gets the depthwise kernel size.</summary>
    public int KernelSize { get; }

    /// <summary>Gets the depthwise stride.</summary>
    public int Stride { get; }

    /// <summary>Gets the expansion ratio.</summary>
    public double ExpandRatio { get; }

    /// <summary>Gets the activation.</summary>
    public ActivationKind Activation { get; }

    /// <summary>Gets a value indicating whether a squeeze-and-excitation gate follows the depthwise convolution.</summary>
    public bool UseSqueezeExcite { get; }

    /// <summary>Gets a value indicating whether the input is added to the output (stride 1 and equal widths).</summary>
    public bool HasResidual { get; }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, expand_ratio={ExpandRatio:G}, mid={MidChannels}, act={Activations.Name(Activation)}, se={UseSqueezeExcite}, residual={HasResidual}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape.Length != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"MBConvBlock expects an input of shape [N, {InChannels}, H, W], but got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        using var expanded = _invertedBottleneck is null ? null : _invertedBottleneck.Call(input);
        using var depthwise = _depthConv.Call(expanded ?? input);
        if (!HasResidual)
        {
            return _pointLinear.Call(depthwise);
        }

        using var projected = _pointLinear.Call(depthwise);
        return projected.Add(input);
    }
}
