using NasKit.Supernet.Mixing.Internal;
using NasKit.Tensors;

namespace NasKit.Supernet.Mixing;

/// <summary>
/// The sparsemax map (Martins and Astudillo, 2016): the Euclidean projection of a vector onto the probability simplex, which sets
/// low entries exactly to zero.
/// </summary>
/// <remarks>
/// <para>Forward: sort z descending, k* = max{k : 1 + k·z₍k₎ &gt; Σ_{j≤k} z₍j₎}, τ = (Σ_{j≤k*} z₍j₎ − 1)/k*, p_i = max(z_i − τ, 0).</para>
/// <para>Backward (exact Jacobian diag(s) − s sᵀ/|S| with s the support indicator): ĝ_i = s_i·(g_i − mean_{j∈S} g_j). The engine has no
/// public hook for custom backward functions, so <see cref="Apply"/> builds p from differentiable ops whose derivative is exactly this
/// Jacobian: with the support mask s held constant, p = s ⊙ (z − mean_S(z)) + s/|S|, which equals max(z − τ, 0) in value.</para>
/// </remarks>
public static class Sparsemax
{
    /// <summary>Computes sparsemax of a vector, differentiably with respect to <paramref name="z"/>.</summary>
    /// <param name="z">The input, shape [K] with finite entries.</param>
    /// <returns>The probabilities, shape [K]; entries outside the support are exactly 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="z"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="z"/> is not a non-empty vector or has a non-finite entry.</exception>
    public static Tensor Apply(Tensor z)
    {
        LogitsGuard.EnsureVector(z, nameof(z));
        var values = z.ToArray();
        var support = Support(values, nameof(z));
        var size = 0;
        var mask = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (support[i])
            {
                mask[i] = 1f;
                size++;
            }
        }

        using var s = Tensor.FromArray(mask, values.Length);
        using var sz = z.Mul(s);
        using var total = sz.Sum();
        using var mean = total.Div(size);
        using var centred = z.Sub(mean);
        using var kept = centred.Mul(s);
        using var share = s.Mul(1f / size);
        return kept.Add(share);
    }

    /// <summary>Computes sparsemax of a vector in double precision, without autograd (a reference for checks and tests).</summary>
    /// <param name="z">The input, with finite entries.</param>
    /// <returns>The probabilities.</returns>
    /// <exception cref="ArgumentException"><paramref name="z"/> is empty or has a non-finite entry.</exception>
    public static double[] Compute(ReadOnlySpan<double> z)
    {
        var values = z.ToArray();
        var tau = Threshold(values, nameof(z));
        var p = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            p[i] = Math.Max(values[i] - tau, 0.0);
        }

        return p;
    }

    private static bool[] Support(float[] values, string paramName)
    {
        var z = new double[values.Length];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = values[i];
        }

        var tau = Threshold(z, paramName);
        var support = new bool[z.Length];
        for (var i = 0; i < z.Length; i++)
        {
            support[i] = z[i] > tau;
        }

        return support;
    }

    private static double Threshold(double[] z, string paramName)
    {
        if (z.Length == 0)
        {
            throw new ArgumentException("Sparsemax needs a non-empty vector, but got 0 entries.", paramName);
        }

        for (var i = 0; i < z.Length; i++)
        {
            if (!double.IsFinite(z[i]))
            {
                throw new ArgumentException($"Sparsemax needs finite inputs, but entry {i} is {z[i]}.", paramName);
            }
        }

        var sorted = (double[])z.Clone();
        Array.Sort(sorted);
        Array.Reverse(sorted);
        double cumulative = 0;
        double supportSum = 0;
        var k = 0;
        for (var j = 0; j < sorted.Length; j++)
        {
            cumulative += sorted[j];
            if (1.0 + ((j + 1) * sorted[j]) > cumulative)
            {
                k = j + 1;
                supportSum = cumulative;
            }
        }

        return (supportSum - 1.0) / k;
    }
}
