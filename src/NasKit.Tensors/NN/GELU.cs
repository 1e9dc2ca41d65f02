namespace NasKit.Tensors.NN;

/// <summary>Represents the GELU activation, exact or tanh-approximated (PyTorch's <c>nn.GELU</c>).</summary>
/// <param name="approximate">The form to compute.</param>
public sealed class GELU(GeluApproximation approximate = GeluApproximation.None) : Module<Tensor, Tensor>
{
    /// <summary>Gets the form computed.</summary>
    public GeluApproximation Approximate { get; } = approximate;

    /// <inheritdoc />
    protected override string ExtraRepresentation => Approximate == GeluApproximation.Tanh ? "approximate='tanh'" : string.Empty;

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Gelu(input, Approximate);
}
