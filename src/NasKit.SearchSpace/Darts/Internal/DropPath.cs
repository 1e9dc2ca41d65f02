using NasKit.Tensors;

namespace NasKit.SearchSpace.Darts.Internal;

/// <summary>DARTS's drop path: zero a whole sample's output of an operation with probability p and scale the kept ones by 1 / (1 − p).</summary>
internal static class DropPath
{
    public static Tensor Apply(Tensor x, double probability, Generator generator)
    {
        var keep = 1.0 - probability;
        var n = x.Shape[0];
        var mask = new float[n];
        for (var i = 0; i < n; i++)
        {
            // Bernoulli(keep) per sample, pre-divided by keep so the expectation of the output equals the input.
            mask[i] = generator.NextDouble() < keep ? (float)(1.0 / keep) : 0f;
        }

        using var m = Tensor.FromArray(mask, n, 1, 1, 1);
        return x.Mul(m);
    }
}
