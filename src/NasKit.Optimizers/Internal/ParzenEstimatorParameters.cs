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
}
