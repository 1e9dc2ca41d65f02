using System.Globalization;
using NasKit.Objectives;
using NasKit.Objectives.Pareto;

namespace NasKit.Optimizers.Pruners;

/// <summary>
/// Prunes a running trial of a multi-objective study when its partial objective vector at its latest step is Pareto-dominated by enough
/// completed trials' vectors at the same step.
/// </summary>
/// <remarks>
/// <para><b>Rule.</b> Let <c>s</c> be the latest step at which the running trial reported a value for at least one objective, and
/// <c>O</c> the objectives it reported at <c>s</c> (its <i>partial objective vector</i> holds those values; objectives it did not report
/// at <c>s</c> are ignored). The peers are the <see cref="TrialState.Complete"/> trials that reported every objective of <c>O</c> at the
/// same step <c>s</c>, with no NaN among them; their vectors over <c>O</c> are compared with the trial's under each objective's direction
/// (<see cref="Dominance.Dominates"/>: at least as good in every objective of <c>O</c>, strictly better in one). With <c>n</c> peers, the
/// trial is pruned when at least <c>k = max(MinDominators, ⌈DominatorFraction · n⌉)</c> of them dominate it. Nothing is pruned while
/// fewer than <see cref="StartupTrials"/> trials of the study are complete, before step <see cref="WarmupSteps"/>, or when the trial has
/// reported no objective. A trial that reports NaN for an objective of <c>O</c> at <c>s</c> (once startup and warm-up are over) is
/// pruned.</para>
/// <para><b>Objectives known up front.</b> An objective that does not change while a trial trains — MACs, parameters, latency — takes
/// part when the evaluator reports its final value at every step together with the others (cheap: it is known before training); one
/// reported at some steps only takes part at those steps. An objective never reported during training is ignored, so with one
/// reported objective the rule is "worse than at least k completed trials at this step".</para>
/// <para>Constraints are not considered: a partial vector says nothing reliable about feasibility of the final metrics.</para>
/// </remarks>
/// <example>
/// <code>
/// // Accuracy is reported per epoch; MACs (known before training) is reported with it at every epoch.
/// var study = new Study("mo", space, new Nsga2(), [Objective.Maximize("val_accuracy"), Objective.Minimize("macs")], pruner: new ParetoPruner());
/// </code>
/// </example>
public sealed class ParetoPruner : IPruner
{
    /// <summary>The default <see cref="MinDominators"/>.</summary>
    public const int DefaultMinDominators = 2;

    /// <summary>The default <see cref="DominatorFraction"/>.</summary>
    public const double DefaultDominatorFraction = 0.1;

    /// <summary>Initializes a new instance of the <see cref="ParetoPruner"/> class.</summary>
    /// <param name="startupTrials">Do not prune until this many trials of the study are complete; at least 0.</param>
    /// <param name="warmupSteps">Do not prune before this step; at least 0.</param>
    /// <param name="minDominators">The fewest dominating peers that prune a trial; at least 1.</param>
    /// <param name="dominatorFraction">The fraction of the peers at the step that must dominate the trial (rounded up), when that is
    /// more than <paramref name="minDominators"/>; in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message gives the value.</exception>
    public ParetoPruner(int startupTrials = 5, int warmupSteps = 0, int minDominators = DefaultMinDominators, double dominatorFraction = DefaultDominatorFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startupTrials);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(minDominators, 1);
        if (!(dominatorFraction >= 0 && dominatorFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(dominatorFraction), dominatorFraction, $"The dominator fraction must be in [0, 1], but got {dominatorFraction.ToString("R", CultureInfo.InvariantCulture)}.");
        }

        StartupTrials = startupTrials;
        WarmupSteps = warmupSteps;
        MinDominators = minDominators;
        DominatorFraction = dominatorFraction;
    }

    /// <summary>Gets the number of complete trials before pruning starts.</summary>
    public int StartupTrials { get; }

    /// <summary>Gets the first step at which a trial may be pruned.</summary>
    public int WarmupSteps { get; }

    /// <summary>Gets the fewest dominating peers that prune a trial.</summary>
    public int MinDominators { get; }

    /// <summary>Gets the fraction of the peers that must dominate a trial to prune it, when that is more than <see cref="MinDominators"/>.</summary>
    public double DominatorFraction { get; }

    /// <summary>Returns how many dominating peers prune a trial that has <paramref name="peers"/> peers: <c>max(MinDominators, ⌈DominatorFraction · peers⌉)</c>.</summary>
    /// <param name="peers">The number of peers; at least 0.</param>
    /// <returns>The threshold k.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="peers"/> is negative.</exception>
    public int RequiredDominators(int peers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peers);
        return Math.Max(MinDominators, (int)Math.Ceiling(DominatorFraction * peers));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="objectives"/> is empty.</exception>
    public bool ShouldPrune(FrozenTrial trial, IReadOnlyList<FrozenTrial> history, IReadOnlyList<Objective> objectives)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0)
        {
            throw new ArgumentException("The Pareto pruner needs at least one objective, but got none.", nameof(objectives));
        }

        var latest = trial.Intermediate.Where(v => objectives.Any(o => v.Values.ContainsKey(o.Name))).MaxBy(v => v.Step);
        if (latest is null || latest.Step < WarmupSteps)
        {
            return false;
        }

        var completed = history.Where(t => t.State == TrialState.Complete && t.Number != trial.Number).ToList();
        if (completed.Count < StartupTrials)
        {
            return false;
        }

        var reported = objectives.Where(o => latest.Values.ContainsKey(o.Name)).ToArray();
        var vector = reported.Select(o => latest.Values[o.Name]).ToArray();
        if (vector.Any(double.IsNaN))
        {
            return true;
        }

        var directions = reported.Select(o => o.Direction).ToArray();
        var peers = 0;
        var dominators = 0;
        foreach (var peer in completed)
        {
            var atStep = peer.Intermediate.FirstOrDefault(v => v.Step == latest.Step);
            if (atStep is null || !reported.All(o => atStep.Values.TryGetValue(o.Name, out var x) && !double.IsNaN(x)))
            {
                continue;
            }

            peers++;
            var peerVector = reported.Select(o => atStep.Values[o.Name]).ToArray();
            if (Dominance.Dominates(peerVector, vector, directions))
            {
                dominators++;
            }
        }

        return peers > 0 && dominators >= RequiredDominators(peers);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ParetoPruner(startupTrials={StartupTrials}, warmupSteps={WarmupSteps}, minDominators={MinDominators}, dominatorFraction={DominatorFraction})");
}
