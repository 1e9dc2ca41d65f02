namespace NasKit.Tensors.NN;

/// <summary>Represents the activation tanh (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Tanh(input);
}
