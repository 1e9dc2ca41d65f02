namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>A tensor stored in a PyTorch fixture file: its shape and its row-major float32 values.</summary>
public sealed class FixtureTensor
{
    /// <summary>Gets the shape ([] for a scalar).</summary>
    public int[] Shape { get; init; } = [];

    /// <summary>Gets the values in row-major order.</summary>
    public float[] Values { get; init; } = [];

    /// <summary>Creates a NasKit tensor with these values, optionally as a leaf that requires a gradient.</summary>
    public Tensor ToTensor(bool requiresGrad = false)
    {
        // FromArray reads an empty shape as "1-D of the data's length", so scalars are built explicitly.
        var t = Shape.Length == 0 ? Tensor.Scalar(Values.Single()) : Tensor.FromArray(Values, Shape);
        return requiresGrad ? t.WithRequiresGrad() : t;
    }

    /// <summary>Returns the values as exact integers (labels and indices are stored that way).</summary>
    public int[] ToIndices()
    {
        var result = new int[Values.Length];
        for (var i = 0; i < Values.Length; i++)
        {
            result[i] = checked((int)Values[i]);
            if (result[i] != Values[i])
            {
                throw new InvalidOperationException($"Fixture value {Values[i]} at position {i} is not an integer.");
            }
        }

        return result;
    }
}
