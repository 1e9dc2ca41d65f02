namespace NasKit.Optimizers.Internal;

/// <summary>Optuna's TPE split size and observation weights (ALGORITHMS.md §14.5).</summary>
internal static class TpeWeighting
{
    /// <summary>Optuna's <c>default_gamma</c>: min(⌈0.1·n⌉, 25) trials go to the "below" (good) set.</summary>
    /// <param name="n">The number of completed trials.</param>
    /// <returns>The size of the good set.</returns>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>Optuna's multi-objective gamma: ⌈0.1·n⌉, without the cap.</summary>
    /// <param name="n">The number of completed trials.</param>
    /// <returns>The size of the good set.</returns>
    public static int MultiObjectiveGamma(int n) => (int)Math.Ceiling(0.1 * n);

    /// <summary>
    /// Optuna's <c>default_weights</c>: ones when n &lt; 25, otherwise linspace(1/n, 1, n − 25) followed by 25 ones, for observations
    /// in chronological order (the oldest are down-weighted).
    /// </summary>
    /// <param name="n">The number of observations.</param>
    /// <returns>One weight per observation.</returns>
    public static double[] Weights(int n)
    {
        var weights = new double[n];
        Array.Fill(weights, 1.0);
        if (n < 25)
        {
            return weights;
        }

        var ramp = n - 25;
        for (var i = 0; i < ramp; i++)
        {
            // numpy.linspace(1/n, 1, ramp): ramp points from 1/n to 1 inclusive (a single point is 1/n).
            weights[i] = ramp == 1 ? 1.0 / n : (1.0 / n) + (i * (1 - (1.0 / n)) / (ramp - 1));
        }

        return weights;
    }
}
