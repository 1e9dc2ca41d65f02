namespace NasKit.Tensors.NN;

/// <summary>Represents the activation relu6(x + 3)/6 (PyTorch's <c>nn.Hardsigmoid</c>).</summary>
public sealed class Hardsigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Hardsigmoid(input);
}
