namespace NasKit.Tensors.NN;

/// <summary>Represents the activation the logistic sigmoid (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Sigmoid(input);
}
