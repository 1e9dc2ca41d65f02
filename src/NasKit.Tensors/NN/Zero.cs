using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>
/// Represents the zero operation of cell-based search spaces (NAS-Bench-201's and DARTS's <c>none</c>): x·0, spatially
/// subsampled by <see cref="Stride"/>. Multiplying (rather than allocating zeros) keeps NaN propagation and zero gradients
/// to the input, as the reference implementations do.
/// </summary>
/// <param name="stride">The spatial stride (1 keeps the shape, 2 halves H and W rounding up).</param>
public sealed class Zero(int stride = 1) : Module<Tensor, Tensor>
{
    /// <summary>Gets the spatial stride.</summary>
    public int Stride { get; } = stride > 0 ? stride : throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be positive.");

    /// <inheritdoc />
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"stride={Stride}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Stride == 1)
        {
            return input.Mul(0f);
        }

        using var rows = input.Slice(-2, 0, int.MaxValue, Stride);
        using var sub = rows.Slice(-1, 0, int.MaxValue, Stride);
        return sub.Mul(0f);
    }
}
