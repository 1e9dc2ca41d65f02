namespace NasKit.Optimizers.Internal;

/// <summary>The knobs of Optuna's Parzen estimators, with the defaults of Optuna 2.x–4.x (ALGORITHMS.md §14.5).</summary>
/// <param name="ConsiderPrior">Whether a prior component (uniform for categoricals, centred wide kernel for numbers) joins the mixture.</param>
/// <param name="PriorWeight">The prior component's weight before normalisation.</param>
/// <param name="ConsiderMagicClip">Whether numeric bandwidths are clipped below at range / min(100, 1 + kernels).</param>
/// <param name="ConsiderEndpoints">Whether the first and last sorted numeric kernels may take their gap to the domain's end as bandwidth.</param>
internal sealed record ParzenEstimatorParameters(
    bool ConsiderPrior = true, double PriorWeight = 1.0, bool ConsiderMagicClip = true, bool ConsiderEndpoints = false)
{
    /// <summary>Gets Optuna's defaults.</summary>
    public static ParzenEstimatorParameters Default { get; } = new();

    /// <summary>Checks the settings shared by both TPE front ends (the strategy and the hyper-parameter sampler) and returns their
    /// estimator parameters (prior on, with <paramref name="priorWeight"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or the prior weight is not finite and positive.</exception>
    public static ParzenEstimatorParameters ForTpe(int startupTrials, int candidateCount, double priorWeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startupTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateCount, 1);
        if (!(priorWeight > 0) || !double.IsFinite(priorWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(priorWeight), priorWeight, $"'priorWeight > 0' must hold with priorWeight finite, but got priorWeight={priorWeight}.");
        }

        return new ParzenEstimatorParameters(ConsiderPrior: true, PriorWeight: priorWeight);
    }
}
