namespace NasKit.Optimizers;

/// <summary>The states of a trial. A trial starts <see cref="Running"/> and ends in exactly one of the other three.</summary>
public enum TrialState
{
    /// <summary>The trial has been asked for and is being evaluated.</summary>
    Running,

    /// <summary>The trial finished and its objective values are known.</summary>
    Complete,

    /// <summary>A pruner stopped the trial early; its last intermediate values are kept.</summary>
    Pruned,

    /// <summary>The evaluation failed; <see cref="FrozenTrial.FailureReason"/> says why. A failure is never a sentinel metric.</summary>
    Failed,
}
