using NasKit.Tensors;

namespace NasKit.Optimizers.Internal;

/// <summary>Checks and mixture arithmetic shared by the Parzen estimators.</summary>
internal static class ParzenGuard
{
    /// <summary>Checks the observation weights and the prior weight.</summary>
    /// <param name="observationCount">The number of observations.</param>
    /// <param name="weights">The weights.</param>
    /// <param name="parameters">The knobs.</param>
    public static void CheckWeights(int observationCount, ReadOnlySpan<double> weights, ParzenEstimatorParameters parameters)
    {
        if (weights.Length != observationCount)
        {
            throw new ArgumentException($"One weight per observation is needed, but got {weights.Length} weights for {observationCount} observations.", nameof(weights));
        }

        for (var i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] > 0) || !double.IsFinite(weights[i]))
            {
                throw new ArgumentException($"Every weight must be positive and finite, but weights[{i}]={weights[i]}.", nameof(weights));
            }
        }

        if (!(parameters.PriorWeight > 0) || !double.IsFinite(parameters.PriorWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.PriorWeight, $"The prior weight must be positive and finite, but got {parameters.PriorWeight}.");
        }
    }

    /// <summary>Optuna's mixture weights: the observation weights followed by the prior weight (when considered), normalised; [1] without observations.</summary>
    /// <param name="weights">The observation weights.</param>
    /// <param name="parameters">The knobs.</param>
    /// <returns>The normalised mixture weights.</returns>
    public static double[] MixtureWeights(ReadOnlySpan<double> weights, ParzenEstimatorParameters parameters)
    {
        if (weights.Length == 0)
        {
            return [1.0];
        }

        var mixture = new double[weights.Length + (parameters.ConsiderPrior ? 1 : 0)];
        weights.CopyTo(mixture);
        if (parameters.ConsiderPrior)
        {
            mixture[^1] = parameters.PriorWeight;
        }

        var sum = mixture.Sum();
        for (var i = 0; i < mixture.Length; i++)
        {
            mixture[i] /= sum;
        }

        return mixture;
    }

    /// <summary>Draws an index with the given probabilities (they need not sum exactly to 1).</summary>
    /// <param name="probabilities">The probabilities.</param>
    /// <param name="generator">The random source.</param>
    /// <returns>The index.</returns>
    public static int PickIndex(ReadOnlySpan<double> probabilities, Generator generator)
    {
        var total = 0.0;
        foreach (var p in probabilities)
        {
            total += p;
        }

        var u = generator.NextDouble() * total;
        for (var i = 0; i < probabilities.Length; i++)
        {
            u -= probabilities[i];
            if (u < 0)
            {
                return i;
            }
        }

        return probabilities.Length - 1;
    }
}
