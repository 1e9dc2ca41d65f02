namespace NasKit.Tensors.NN;

/// <summary>Represents the activation x·sigmoid(x) (PyTorch's <c>nn.SiLU</c>).</summary>
public sealed class SiLU : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Silu(input);
}
