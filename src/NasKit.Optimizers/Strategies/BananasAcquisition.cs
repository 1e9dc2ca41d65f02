namespace NasKit.Optimizers.Strategies;

/// <summary>Specifies how <see cref="Bananas"/> turns the ensemble's mean and spread of predictions into a score for each candidate.</summary>
public enum BananasAcquisition
{
    /// <summary>Independent Thompson sampling (BANANAS's ITS): one draw from N(mean, std²) per candidate; the largest draw wins.</summary>
    ThompsonSampling = 0,

    /// <summary>Upper confidence bound: mean + κ·std, with κ = <see cref="Bananas.ExplorationWeight"/>.</summary>
    UpperConfidenceBound = 1,
}
