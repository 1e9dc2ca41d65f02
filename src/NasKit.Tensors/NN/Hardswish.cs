namespace NasKit.Tensors.NN;

/// <summary>Represents the activation x·relu6(x + 3)/6 (PyTorch's <c>nn.Hardswish</c>).</summary>
public sealed class Hardswish : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Hardswish(input);
}
