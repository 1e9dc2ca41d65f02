using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents adaptive average pooling to a fixed output size (PyTorch's <c>nn.AdaptiveAvgPool2d</c>).</summary>
/// <param name="outputSize">The output (height, width).</param>
public sealed class AdaptiveAvgPool2d((int H, int W) outputSize) : Module<Tensor, Tensor>
{
    /// <summary>Initializes a new instance of the <see cref="AdaptiveAvgPool2d"/> class with a square output.</summary>
    /// <param name="outputSize">The output side.</param>
    public AdaptiveAvgPool2d(int outputSize)
        : this((outputSize, outputSize))
    {
    }

    /// <summary>Gets the output size.</summary>
    public (int H, int W) OutputSize { get; } = outputSize;

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"output_size=({OutputSize.H}, {OutputSize.W})");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);
}
