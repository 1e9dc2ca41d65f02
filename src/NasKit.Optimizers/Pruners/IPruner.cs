using NasKit.Objectives;

namespace NasKit.Optimizers.Pruners;

/// <summary>Decides, from a running trial's intermediate values and the study's history, whether to stop it early.</summary>
public interface IPruner
{
    /// <summary>Returns whether the trial should stop now.</summary>
    /// <param name="trial">The running trial, with what it has reported so far.</param>
    /// <param name="history">Every trial of the study (the running one included).</param>
    /// <param name="objectives">The study's objectives.</param>
    /// <returns>Whether to prune.</returns>
    bool ShouldPrune(FrozenTrial trial, IReadOnlyList<FrozenTrial> history, IReadOnlyList<Objective> objectives);
}
