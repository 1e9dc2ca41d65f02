using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents the activation x for x &gt; 0 and slope·x otherwise (PyTorch's <c>nn.LeakyReLU</c>).</summary>
/// <param name="negativeSlope">The slope for negative inputs.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module<Tensor, Tensor>
{
    /// <summary>Gets the slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"negative_slope={NegativeSlope:G}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, (float)NegativeSlope);
}
