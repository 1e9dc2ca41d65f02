using NasKit.Tensors;

namespace NasKit.Optimizers.Internal;

/// <summary>
/// Optuna's Parzen estimator of one categorical variable (ALGORITHMS.md §14.5): one kernel per observation plus an optional uniform
/// prior kernel, mixed by the observation weights and the prior weight.
/// </summary>
/// <remarks>
/// With n observations and K = n + 1 kernels (K = n without the prior), an observation's kernel puts prior_weight/K on every choice
/// plus 1 on its observed choice, row-normalised; the prior kernel is uniform. Without observations the estimator is uniform. Because
/// every kernel is a categorical distribution, the mixture is one categorical distribution, which <see cref="Probabilities"/> holds.
/// </remarks>
internal sealed class CategoricalParzenEstimator
{
    private readonly double[] _probabilities;

    /// <summary>Initializes a new instance of the <see cref="CategoricalParzenEstimator"/> class.</summary>
    /// <param name="observations">The observed choice indices, each in [0, <paramref name="choiceCount"/>).</param>
    /// <param name="weights">One positive weight per observation (Optuna's <c>default_weights</c> in chronological order).</param>
    /// <param name="choiceCount">The number of choices.</param>
    /// <param name="parameters">The estimator's knobs; null uses Optuna's defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">There are no choices, an observation is outside them, or the prior weight is not positive.</exception>
    /// <exception cref="ArgumentException">The weights do not match the observations or are not positive and finite.</exception>
    public CategoricalParzenEstimator(ReadOnlySpan<int> observations, ReadOnlySpan<double> weights, int choiceCount, ParzenEstimatorParameters? parameters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(choiceCount, 1);
        var p = parameters ?? ParzenEstimatorParameters.Default;
        ParzenGuard.CheckWeights(observations.Length, weights, p);
        var n = observations.Length;
        _probabilities = new double[choiceCount];
        if (n == 0)
        {
            Array.Fill(_probabilities, 1.0 / choiceCount);
            return;
        }

        var kernels = n + (p.ConsiderPrior ? 1 : 0);
        var mixture = ParzenGuard.MixtureWeights(weights, p);
        var floor = p.PriorWeight / kernels;
        var rowSum = (floor * choiceCount) + 1;
        for (var k = 0; k < n; k++)
        {
            var observed = observations[k];
            if ((uint)observed >= (uint)choiceCount)
            {
                throw new ArgumentOutOfRangeException(nameof(observations), observed, $"Every observation must lie in [0, {choiceCount}), but observations[{k}]={observed}.");
            }

            for (var c = 0; c < choiceCount; c++)
            {
                _probabilities[c] += mixture[k] * floor / rowSum;
            }

            _probabilities[observed] += mixture[k] / rowSum;
        }

        if (p.ConsiderPrior)
        {
            for (var c = 0; c < choiceCount; c++)
            {
                _probabilities[c] += mixture[n] / choiceCount;
            }
        }
    }

    /// <summary>Gets the mixture's probability of each choice (they sum to 1).</summary>
    public IReadOnlyList<double> Probabilities => _probabilities;

    /// <summary>Gets the number of choices.</summary>
    public int ChoiceCount => _probabilities.Length;

    /// <summary>Computes the log probability of a choice.</summary>
    /// <param name="choice">The choice index.</param>
    /// <returns>log p(choice).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The choice is outside [0, <see cref="ChoiceCount"/>).</exception>
    public double LogPdf(int choice)
    {
        if ((uint)choice >= (uint)_probabilities.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(choice), choice, $"The choice must lie in [0, {_probabilities.Length}), but got {choice}.");
        }

        return Math.Log(_probabilities[choice]);
    }

    /// <summary>Draws a choice from the mixture.</summary>
    /// <param name="generator">The random source.</param>
    /// <returns>The choice index.</returns>
    public int Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return ParzenGuard.PickIndex(_probabilities, generator);
    }
}
