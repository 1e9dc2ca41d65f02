using System.Globalization;
using NasKit.SearchSpace.Operations;
using NasKit.SearchSpace.Operations.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.MobileNetV3;

/// <summary>
/// The network of one <see cref="MobileNetV3Architecture"/>: Once-for-All's MobileNetV3 backbone with the architecture's depths, kernel
/// sizes, expansion ratios and input resolution.
/// </summary>
/// <remarks>
/// <para>Layout (ALGORITHMS.md §2(b), OFA's <c>ofa_mbv3.py</c>), widths w = <see cref="ChannelRounding.MakeDivisible"/>(base · width
/// multiplier, 8): <c>first_conv</c> = Conv 3×3 stride 2 (3 → 16, no bias) → BN → h_swish; <c>first_block</c> = <see cref="MBConvBlock"/>
/// (16 → 16, k 3, expansion 1, ReLU, no SE, identity shortcut); <c>stages.{s}.{l}</c> = the first d_s blocks of stage s, block l an
/// <see cref="MBConvBlock"/> with the stage's width, activation and squeeze-excite flag, stride only in block 0; <c>final_expand_layer</c>
/// = Conv 1×1 (160 → 960, no bias) → BN → h_swish; global average pool; <c>feature_mix_layer</c> = Conv 1×1 (960 → 1280, no bias, no BN)
/// → h_swish; <c>classifier</c> = dropout → Linear(1280, classes). Weights are initialised as OFA does: convolutions normal with
/// std √(2 / fan_out), batch norms γ = 1, β = 0, the linear layer uniform in ±1/√fan_in with zero biases (also the squeeze-excite biases).</para>
/// <para>Slicing: parameter names do not depend on the choices (block l of stage s is always <c>stages.{s}.{l}</c>, and the tensors inside
/// a block are named as in <see cref="MBConvBlock"/>), so an elastic supernet holding the largest block of every slot can serve any
/// sub-network by taking the first d blocks of each stage, the centre k×k crop of each depthwise kernel and the first channels of each
/// expanded width.</para>
/// </remarks>
public sealed class MobileNetV3Network : Module<Tensor, Tensor>
{
    private readonly Sequential _firstConv;
    private readonly MBConvBlock _firstBlock;
    private readonly Sequential _stages;
    private readonly Sequential _finalExpand;
    private readonly Sequential _featureMix;
    private readonly Dropout _dropout;
    private readonly Linear _classifier;
    private readonly MBConvBlock[][] _blocks;

    /// <summary>Initializes a new instance of the <see cref="MobileNetV3Network"/> class.</summary>
    /// <param name="architecture">The architecture; its stage count must match the options.</param>
    /// <param name="options">The backbone options; null uses the defaults (1000 classes, 3 input channels, OFA widths).</param>
    /// <param name="generator">The random source for the weights and the dropout; null uses a generator seeded with 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="architecture"/> is null.</exception>
    /// <exception cref="SearchSpaceValidationException">The options are not valid.</exception>
    /// <exception cref="ArgumentException">The architecture has another number of stages than the options, or a kernel size that is not odd.</exception>
    public MobileNetV3Network(MobileNetV3Architecture architecture, MobileNetV3SpaceOptions? options = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var o = (options ?? new MobileNetV3SpaceOptions()).ValidatedCopy();
        if (architecture.StageCount != o.StageWidths.Count)
        {
            throw new ArgumentException(
                Invariant($"The options define {o.StageWidths.Count} stages, but the architecture '{architecture}' has {architecture.StageCount}."),
                nameof(architecture));
        }

        var bad = architecture.KernelSizes.SelectMany(k => k).Where(k => k % 2 == 0).ToList();
        if (bad.Count > 0)
        {
            throw new ArgumentException(Invariant($"Kernel sizes must be odd so that 'same' padding exists, but the architecture '{architecture}' has {string.Join(", ", bad)}."), nameof(architecture));
        }

        generator ??= new Generator(0);
        Architecture = architecture;
        InputChannels = o.InputChannels;
        Classes = o.Classes;

        int Width(int baseWidth) => ChannelRounding.MakeDivisible(baseWidth * o.WidthMultiplier);
        var stem = Width(o.StemWidth);
        _firstConv = RegisterModule("first_conv", NamedSequential.Create(
            ("conv", new Conv2d(o.InputChannels, stem, 3, stride: 2, padding: 1, bias: false, generator: generator)),
            ("bn", new BatchNorm2d(stem)),
            ("act", new Hardswish())));
        _firstBlock = RegisterModule("first_block", new MBConvBlock(stem, stem, 3, 1, 1.0, ActivationKind.Relu, useSqueezeExcite: false, generator: generator));

        _blocks = new MBConvBlock[architecture.StageCount][];
        var stages = new Sequential();
        var channels = stem;
        for (var s = 0; s < architecture.StageCount; s++)
        {
            var width = Width(o.StageWidths[s]);
            var stage = new Sequential();
            _blocks[s] = new MBConvBlock[architecture.Depths[s]];
            for (var l = 0; l < architecture.Depths[s]; l++)
            {
                var block = new MBConvBlock(
                    channels,
                    width,
                    architecture.KernelSizes[s][l],
                    l == 0 ? o.StageStrides[s] : 1,
                    architecture.ExpandRatios[s][l],
                    o.StageActivations[s],
                    o.StageSqueezeExcite[s],
                    generator: generator);
                stage.Append(block);
                _blocks[s][l] = block;
                channels = width;
            }

            stages.Append(stage);
        }

        _stages = RegisterModule("stages", stages);
        var finalExpand = Width(o.FinalExpandWidth);
        var featureMix = Width(o.FeatureMixWidth);
        _finalExpand = RegisterModule("final_expand_layer", NamedSequential.Create(
            ("conv", new Conv2d(channels, finalExpand, 1, bias: false, generator: generator)),
            ("bn", new BatchNorm2d(finalExpand)),
            ("act", new Hardswish())));
        _featureMix = RegisterModule("feature_mix_layer", NamedSequential.Create(
            ("conv", new Conv2d(finalExpand, featureMix, 1, bias: false, generator: generator)),
            ("act", new Hardswish())));
        _dropout = RegisterModule("dropout", new Dropout(o.DropoutRate, generator.Spawn()));
        _classifier = RegisterModule("classifier", new Linear(featureMix, o.Classes, generator: generator));
        InitializeLikeOfa(generator);
    }

    /// <summary>Gets the architecture the network was built from.</summary>
    public MobileNetV3Architecture Architecture { get; }

    /// <summary>Gets the channels the input must have.</summary>
    public int InputChannels { get; }

    /// <summary>Gets the number of classes (output features).</summary>
    public int Classes { get; }

    /// <summary>Gets the blocks of one stage (its active blocks, in order).</summary>
    /// <param name="stage">The zero-based stage index.</param>
    /// <returns>The blocks.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> is not a stage index.</exception>
    public IReadOnlyList<MBConvBlock> StageBlocks(int stage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stage);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stage, _blocks.Length);
        return _blocks[stage];
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => Architecture.ToString();

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape.Length != 4 || input.Shape[1] != InputChannels)
        {
            throw new ArgumentException(
                Invariant($"MobileNetV3Network expects an input of shape [N, {InputChannels}, H, W] (H = W = {Architecture.Resolution} for its architecture), but got [{string.Join(", ", input.Shape)}]."),
                nameof(input));
        }

        using var stem = _firstConv.Call(input);
        using var first = _firstBlock.Call(stem);
        using var features = _stages.Call(first);
        using var expanded = _finalExpand.Call(features);
        using var pooled = Functional.AdaptiveAvgPool2d(expanded, 1);
        using var mixed = _featureMix.Call(pooled);
        using var flat = mixed.Flatten(1);
        using var dropped = _dropout.Call(flat);
        return _classifier.Call(dropped);
    }

    private void InitializeLikeOfa(Generator generator)
    {
        foreach (var module in Modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Init.KaimingNormal(conv.Weight, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu, generator: generator);
                    if (conv.Bias is not null)
                    {
                        Init.Zeros(conv.Bias);
                    }

                    break;
                case BatchNorm bn when bn.Weight is not null && bn.Bias is not null:
                    Init.Ones(bn.Weight);
                    Init.Zeros(bn.Bias);
                    break;
                case Linear linear:
                    var bound = 1.0 / Math.Sqrt(linear.InFeatures);
                    Init.Uniform(linear.Weight, -bound, bound, generator);
                    if (linear.Bias is not null)
                    {
                        Init.Zeros(linear.Bias);
                    }

                    break;
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
