using NasKit.Objectives;

namespace NasKit.Optimizers.Pruners;

/// <summary>
/// Prunes a trial whose latest reported value of the first objective is worse than the median of what the completed trials
/// reported at the same step (Optuna's median pruner).
/// </summary>
public sealed class MedianPruner : IPruner
{
    /// <summary>Initializes a new instance of the <see cref="MedianPruner"/> class.</summary>
    /// <param name="startupTrials">Do not prune until this many trials completed.</param>
    /// <param name="warmupSteps">Do not prune before this step.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative.</exception>
    public MedianPruner(int startupTrials = 5, int warmupSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startupTrials);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        StartupTrials = startupTrials;
        WarmupSteps = warmupSteps;
    }

    /// <summary>Gets the number of completed trials before pruning starts.</summary>
    public int StartupTrials { get; }

    /// <summary>Gets the first step at which a trial may be pruned.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc/>
    public bool ShouldPrune(FrozenTrial trial, IReadOnlyList<FrozenTrial> history, IReadOnlyList<Objective> objectives)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(objectives);
        var objective = objectives[0];
        var last = trial.Intermediate.Where(v => v.Values.ContainsKey(objective.Name)).MaxBy(v => v.Step);
        if (last is null || last.Step < WarmupSteps)
        {
            return false;
        }

        var completed = history.Where(t => t.State == TrialState.Complete).ToList();
        if (completed.Count < StartupTrials)
        {
            return false;
        }

        var peers = completed
            .Select(t => t.Intermediate.FirstOrDefault(v => v.Step == last.Step && v.Values.ContainsKey(objective.Name)))
            .Where(v => v is not null)
            .Select(v => objective.ToMinimization(v!.Values[objective.Name]))
            .Order()
            .ToList();
        if (peers.Count == 0)
        {
            return false;
        }

        var median = peers.Count % 2 == 1 ? peers[peers.Count / 2] : (peers[(peers.Count / 2) - 1] + peers[peers.Count / 2]) / 2;
        return objective.ToMinimization(last.Values[objective.Name]) > median;
    }
}
