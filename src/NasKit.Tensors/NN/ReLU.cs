namespace NasKit.Tensors.NN;

/// <summary>Represents the activation max(x, 0) (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Relu(input);
}
