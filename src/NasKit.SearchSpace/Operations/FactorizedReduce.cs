using System.Globalization;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations;

/// <summary>
/// The factorized reduction of the DARTS space: ReLU, then two 1×1 stride-2 convolutions, one on the input and one on the input
/// shifted by one pixel down and right, each giving half of the output channels, concatenated and batch-normalised. It halves H and
/// W (rounding up) and is DARTS's <c>skip_connect</c> in reduction cells and the preprocessing after a reduction cell.
/// </summary>
/// <remarks>
/// The shifted branch reads the input from row 1 and column 1 on, padded with one zero row and column at the bottom and right, so
/// that both branches have ⌈H/2⌉ × ⌈W/2⌉ outputs for odd sizes too. For even sizes the padding is never read and the result equals
/// DARTS's <c>conv_2(x[:, :, 1:, 1:])</c>. Child names: <c>conv1</c>, <c>conv2</c>, <c>bn</c>.
/// </remarks>
public sealed class FactorizedReduce : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn;

    /// <summary>Initializes a new instance of the <see cref="FactorizedReduce"/> class.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels; must be even.</param>
    /// <param name="affine">Whether the batch norm has a learnable scale and shift.</param>
    /// <param name="generator">The random source for the convolutions' weights; null uses the default generator.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="outChannels"/> is odd.</exception>
    public FactorizedReduce(int inChannels, int outChannels, bool affine = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        if (outChannels % 2 != 0)
        {
            throw new ArgumentException($"FactorizedReduce splits its output channels between two convolutions, so 'outChannels % 2 == 0' must hold, but got outChannels={outChannels}.", nameof(outChannels));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, outChannels / 2, 1, 2, bias: false, generator: generator));
        _conv2 = RegisterModule("conv2", new Conv2d(inChannels, outChannels / 2, 1, 2, bias: false, generator: generator));
        _bn = RegisterModule("bn", new BatchNorm2d(outChannels, affine: affine));
    }

    /// <summary>Gets the input channels.</summary>
    public int InChannels { get; }

    /// <summary>Gets the output channels.</summary>
    public int OutChannels { get; }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"{InChannels}, {OutChannels}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"FactorizedReduce expects an (N, C, H, W) input, but got shape [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        using var r = Functional.Relu(input);
        using var a = _conv1.Call(r);

        // Shift by one pixel (drop the first row and column) and pad one zero row/column at the far side, so the stride-2 grid of
        // the shifted branch has as many positions as the unshifted one whatever the parity of H and W.
        using var shifted = Functional.Pad(r, [-1, 1, -1, 1]);
        using var b = _conv2.Call(shifted);
        using var cat = Tensor.Cat([a, b], 1);
        return _bn.Call(cat);
    }
}
