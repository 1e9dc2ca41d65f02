using System.Globalization;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations;

/// <summary>
/// The squeeze-and-excitation gate of MobileNetV3 as Once-for-All builds it: global average pool → 1×1 reduce (with bias) → ReLU →
/// 1×1 expand (with bias) → hard sigmoid, and the input scaled channel-wise by the result.
/// </summary>
/// <remarks>
/// The reduced width is <see cref="ChannelRounding.MakeDivisible"/>(⌊channels / reduction⌋, 8). Parameters are named
/// <c>reduce.weight</c> [reduced, channels, 1, 1], <c>reduce.bias</c>, <c>expand.weight</c> [channels, reduced, 1, 1] and <c>expand.bias</c>;
/// an elastic supernet serves a block with fewer channels by slicing the first rows and columns of these tensors.
/// </remarks>
public sealed class SqueezeExcite : Module<Tensor, Tensor>
{
    /// <summary>The default ratio between the gated channels and the reduced width.</summary>
    public const int DefaultReduction = 4;

    private readonly Conv2d _reduce;
    private readonly Conv2d _expand;

    /// <summary>Initializes a new instance of the <see cref="SqueezeExcite"/> class.</summary>
    /// <param name="channels">The channels of the feature map that is gated.</param>
    /// <param name="reduction">The reduction ratio of the bottleneck.</param>
    /// <param name="generator">The random source for the weights; null uses the default generator.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> or <paramref name="reduction"/> is not positive.</exception>
    public SqueezeExcite(int channels, int reduction = DefaultReduction, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reduction);
        Channels = channels;
        Reduction = reduction;
        ReducedChannels = ChannelRounding.MakeDivisible(channels / reduction);
        _reduce = RegisterModule("reduce", new Conv2d(channels, ReducedChannels, 1, bias: true, generator: generator));
        _expand = RegisterModule("expand", new Conv2d(ReducedChannels, channels, 1, bias: true, generator: generator));
    }

    /// <summary>Gets the channels of the gated feature map.</summary>
    public int Channels { get; }

    /// <summary>Gets the reduction ratio.</summary>
    public int Reduction { get; }

    /// <summary>Gets the width of the bottleneck between the two 1×1 convolutions.</summary>
    public int ReducedChannels { get; }

    /// <summary>Gets the 1×1 convolution that reduces the pooled channels.</summary>
    public Conv2d Reduce => _reduce;

    /// <summary>Gets the 1×1 convolution that expands back to <see cref="Channels"/>.</summary>
    public Conv2d Expand => _expand;

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"channel={Channels}, reduction={Reduction}, mid={ReducedChannels}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape.Length != 4 || input.Shape[1] != Channels)
        {
            throw new ArgumentException($"SqueezeExcite expects an input of shape [N, {Channels}, H, W], but got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        using var pooled = Functional.AdaptiveAvgPool2d(input, 1);
        using var reduced = _reduce.Call(pooled);
        using var activated = Functional.Relu(reduced);
        using var expanded = _expand.Call(activated);
        using var gate = Functional.Hardsigmoid(expanded);
        return input.Mul(gate);
    }
}
