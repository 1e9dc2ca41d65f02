using System.Globalization;
using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Nb201;

/// <summary>
/// Represents the fixed stride-2 reduction block between NAS-Bench-201 stages (the benchmark's <c>ResNetBasicblock</c>):
/// out = shortcut(x) + conv_b(conv_a(x)), with conv_a = ReLU→Conv3×3(stride 2)→BN, conv_b = ReLU→Conv3×3→BN, and
/// shortcut = AvgPool2d(2, 2) → Conv1×1 (no bias).
/// </summary>
public sealed class Nb201ResidualBlock : Module<Tensor, Tensor>
{
    private readonly ReluConvBn _convA;
    private readonly ReluConvBn _convB;
    private readonly Sequential _shortcut;

    /// <summary>Initializes a new instance of the <see cref="Nb201ResidualBlock"/> class.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="generator">The random source for the convolutions' weights; null uses a generator seeded with 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count is not positive.</exception>
    public Nb201ResidualBlock(int inChannels, int outChannels, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        generator ??= new Generator(0);
        InChannels = inChannels;
        OutChannels = outChannels;
        _convA = RegisterModule("conv_a", new ReluConvBn(inChannels, outChannels, kernelSize: 3, stride: 2, padding: 1, generator: generator));
        _convB = RegisterModule("conv_b", new ReluConvBn(outChannels, outChannels, kernelSize: 3, stride: 1, padding: 1, generator: generator));
        _shortcut = RegisterModule(
            "shortcut",
            new Sequential(
            [
                new KeyValuePair<string, Module<Tensor, Tensor>>("pool", new AvgPool2d(2, stride: 2)),
                new KeyValuePair<string, Module<Tensor, Tensor>>("conv", new Conv2d(inChannels, outChannels, 1, bias: false, generator: generator)),
            ]));
    }

    /// <summary>Gets the input channels.</summary>
    public int InChannels { get; }

    /// <summary>Gets the output channels.</summary>
    public int OutChannels { get; }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"{InChannels}, {OutChannels}, stride=2");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var a = _convA.Call(input);
        using var b = _convB.Call(a);
        using var s = _shortcut.Call(input);
        return s.Add(b);
    }
}
