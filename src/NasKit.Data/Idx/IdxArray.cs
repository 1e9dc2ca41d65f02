namespace NasKit.Data.Idx;

/// <summary>Represents the contents of one IDX file: its dimension sizes and its unsigned-byte values in row-major order.</summary>
public sealed class IdxArray
{
    private readonly int[] _shape;
    private readonly byte[] _data;

    /// <summary>Initializes a new instance of the <see cref="IdxArray"/> class, taking ownership of both arrays.</summary>
    /// <param name="shape">The dimension sizes, outermost first.</param>
    /// <param name="data">The values in row-major order; exactly the product of <paramref name="shape"/> of them.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A dimension is negative, or the number of values differs from the product of the dimensions.</exception>
    public IdxArray(int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long product = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Every dimension must be >= 0, but got shape [{string.Join(", ", shape)}].", nameof(shape));
            }

            product *= d;
        }

        if (product != data.Length)
        {
            throw new ArgumentException(
                $"'data.Length == product(shape)' must hold, but got data.Length={data.Length}, shape=[{string.Join(", ", shape)}] (product {product}).",
                nameof(data));
        }

        _shape = shape;
        _data = data;
    }

    /// <summary>Gets the dimension sizes, outermost first (for MNIST images: count, rows, columns).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Gets the values in row-major order.</summary>
    public ReadOnlyMemory<byte> Data => _data;
}
