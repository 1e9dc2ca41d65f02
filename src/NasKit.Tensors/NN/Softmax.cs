using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents softmax along a dimension (PyTorch's <c>nn.Softmax</c>).</summary>
/// <param name="dim">The dimension.</param>
public sealed class Softmax(int dim) : Module<Tensor, Tensor>
{
    /// <summary>Gets the dimension.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"dim={Dim}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Softmax(input, Dim);
}
