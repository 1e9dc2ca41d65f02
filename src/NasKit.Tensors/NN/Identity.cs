namespace NasKit.Tensors.NN;

/// <summary>Represents the identity (PyTorch's <c>nn.Identity</c>; NAS-Bench-201's <c>skip_connect</c>). Returns a new view of the input.</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Reshape(input.Shape);
    }
}
