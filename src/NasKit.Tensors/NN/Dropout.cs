using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents dropout: active in training mode, the identity in evaluation mode (PyTorch's <c>nn.Dropout</c>).</summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly Generator? _generator;

    /// <summary>Initializes a new instance of the <see cref="Dropout"/> class.</summary>
    /// <param name="p">The drop probability, in [0, 1].</param>
    /// <param name="generator">The generator for the masks; <see cref="Generator.Default"/> when null.</param>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be in [0, 1].");
        }

        P = p;
        _generator = generator;
    }

    /// <summary>Gets the drop probability.</summary>
    public double P { get; }

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"p={P:G}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Dropout(input, (float)P, IsTraining, _generator);
}
