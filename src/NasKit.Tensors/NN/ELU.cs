using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents the activation x for x &gt; 0 and alpha·(exp(x) − 1) otherwise (PyTorch's <c>nn.ELU</c>).</summary>
/// <param name="alpha">The scale of the negative part.</param>
public sealed class ELU(double alpha = 1.0) : Module<Tensor, Tensor>
{
    /// <summary>Gets the scale of the negative part.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"alpha={Alpha:G}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Elu(input, (float)Alpha);
}
