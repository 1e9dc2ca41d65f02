namespace NasKit.Tensors.NN;

/// <summary>Represents the activation min(max(x, 0), 6) (PyTorch's <c>nn.ReLU6</c>).</summary>
public sealed class ReLU6 : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Relu6(input);
}
