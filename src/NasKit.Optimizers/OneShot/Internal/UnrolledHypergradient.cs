namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>
/// DARTS-2nd's hypergradient (ALGORITHMS.md §14.1), independent of any network: with w′ = w − ξ(μ·m + ∇_w L_train(w, α) + λ·w) and
/// v = ∇_{w′} L_val(w′, α), it is ∇_α L_val(w′, α) − ξ·[∇_α L_train(w + εv, α) − ∇_α L_train(w − εv, α)]/(2ε) with ε = scale/‖v‖.
/// The callbacks evaluate gradients at whatever weights were last loaded; the weights end as they started.
/// </summary>
internal static class UnrolledHypergradient
{
    /// <param name="w0">The current weights (restored at the end).</param>
    /// <param name="momentum">The optimizer's momentum buffers per weight tensor, null where none exists yet.</param>
    /// <param name="xi">The weight learning rate ξ.</param>
    /// <param name="momentumFactor">μ.</param>
    /// <param name="weightDecay">λ.</param>
    /// <param name="epsilonScale">The finite-difference scale (0.01 in DARTS).</param>
    /// <param name="trainWeightGradient">∇_w L_train at the loaded weights.</param>
    /// <param name="validationGradients">(∇_α L_val, ∇_w L_val) at the loaded weights.</param>
    /// <param name="trainAlphaGradients">∇_α L_train at two weight sets (w + εv, w − εv), in that order; may leave either loaded.</param>
    /// <param name="load">Loads weights.</param>
    public static float[] Compute(
        float[][] w0,
        float[]?[] momentum,
        double xi,
        double momentumFactor,
        double weightDecay,
        double epsilonScale,
        Func<float[][]> trainWeightGradient,
        Func<(float[] Alpha, float[][] Weights)> validationGradients,
        Func<float[][], float[][], (float[] Plus, float[] Minus)> trainAlphaGradients,
        Action<float[][]> load)
    {
        try
        {
            var trainGradient = trainWeightGradient();
            var unrolled = new float[w0.Length][];
            for (var i = 0; i < w0.Length; i++)
            {
                unrolled[i] = new float[w0[i].Length];
                for (var j = 0; j < w0[i].Length; j++)
                {
                    var m = momentum[i] is { } buffer ? buffer[j] : 0f;
                    unrolled[i][j] = (float)(w0[i][j] - (xi * ((momentumFactor * m) + trainGradient[i][j] + (weightDecay * w0[i][j]))));
                }
            }

            load(unrolled);
            var (direct, v) = validationGradients();
            var gradient = (float[])direct.Clone();
            var norm = ParameterVectors.Norm(v);
            if (norm > 0)
            {
                var epsilon = epsilonScale / norm;
                var (plus, minus) = trainAlphaGradients(Combine(w0, epsilon, v), Combine(w0, -epsilon, v));
                for (var k = 0; k < gradient.Length; k++)
                {
                    gradient[k] = (float)(direct[k] - (xi * (plus[k] - minus[k]) / (2 * epsilon)));
                }
            }

            return gradient;
        }
        finally
        {
            load(w0);
        }
    }

    private static float[][] Combine(float[][] a, double scale, float[][] b)
    {
        var combined = new float[a.Length][];
        for (var i = 0; i < a.Length; i++)
        {
            combined[i] = new float[a[i].Length];
            for (var j = 0; j < a[i].Length; j++)
            {
                combined[i][j] = (float)(a[i][j] + (scale * b[i][j]));
            }
        }

        return combined;
    }
}
