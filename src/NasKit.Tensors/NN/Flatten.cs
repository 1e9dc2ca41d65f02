using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents flattening of a range of dimensions (PyTorch's <c>nn.Flatten</c>, which starts at dimension 1).</summary>
/// <param name="startDim">The first dimension to flatten.</param>
/// <param name="endDim">The last dimension to flatten.</param>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module<Tensor, Tensor>
{
    /// <summary>Gets the first flattened dimension.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Gets the last flattened dimension.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"start_dim={StartDim}, end_dim={EndDim}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(StartDim, EndDim);
    }
}
