namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>Seeded test inputs, drawn with <see cref="Random"/> so that they do not depend on the engine's own generator.</summary>
public static class TestData
{
    /// <summary>Draws <paramref name="count"/> values uniformly from [low, high).</summary>
    public static float[] Uniform(int seed, int count, float low = -1f, float high = 1f)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = low + ((high - low) * (float)rng.NextDouble());
        }

        return values;
    }

    /// <summary>Draws values from [low, high) that keep at least <paramref name="margin"/> away from every kink.</summary>
    public static float[] AwayFrom(int seed, int count, float low, float high, float[] kinks, float margin)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            float v;
            do
            {
                v = low + ((high - low) * (float)rng.NextDouble());
            }
            while (kinks.Any(k => Math.Abs(v - k) < margin));

            values[i] = v;
        }

        return values;
    }

    /// <summary>Returns the values offset + spacing·k for k = 0..count-1 in a seeded random order: all distinct, far apart (no max ties).</summary>
    public static float[] DistinctShuffled(int seed, int count, float spacing = 0.1f, float offset = -1f)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = offset + (spacing * i);
        }

        new Random(seed).Shuffle(values);
        return values;
    }

    /// <summary>Creates a tensor of uniform values.</summary>
    public static Tensor Tensor(int seed, int[] shape, float low = -1f, float high = 1f, bool requiresGrad = false) =>
        Create(Uniform(seed, Numel(shape), low, high), shape).WithRequiresGrad(requiresGrad);

    /// <summary>Creates a leaf that requires grad with values away from the given kinks.</summary>
    public static Tensor AwayFromKinks(int seed, int[] shape, float low, float high, float[] kinks, float margin = 0.05f) =>
        Create(AwayFrom(seed, Numel(shape), low, high, kinks, margin), shape).WithRequiresGrad();

    /// <summary>Creates a leaf that requires grad with distinct, well separated values.</summary>
    public static Tensor Distinct(int seed, int[] shape, float spacing = 0.1f) =>
        Create(DistinctShuffled(seed, Numel(shape), spacing, -spacing * Numel(shape) / 2f), shape).WithRequiresGrad();

    /// <summary>Creates a tensor of the given shape; an empty shape gives a zero-dimensional tensor (FromArray would give [1]).</summary>
    public static Tensor Create(float[] values, int[] shape) =>
        shape.Length == 0 ? NasKit.Tensors.Tensor.Scalar(values[0]) : NasKit.Tensors.Tensor.FromArray(values, shape);

    /// <summary>Gets the number of elements of a shape.</summary>
    public static int Numel(int[] shape) => shape.Aggregate(1, (a, b) => a * b);
}
