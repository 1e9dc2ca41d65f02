using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents adaptive max pooling to a fixed output size (PyTorch's <c>nn.AdaptiveMaxPool2d</c>).</summary>
/// <param name="outputSize">The output (height, width).</param>
public sealed class AdaptiveMaxPool2d((int H, int W) outputSize) : Module<Tensor, Tensor>
{
    /// <summary>Gets the output size.</summary>
    public (int H, int W) OutputSize { get; } = outputSize;

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"output_size=({OutputSize.H}, {OutputSize.W})");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.AdaptiveMaxPool2d(input, OutputSize);
}
