using System.Globalization;
using NasKit.Objectives;

namespace NasKit.Optimizers.Pruners;

/// <summary>
/// Prunes by asynchronous successive halving (ASHA, Li et al. 2020, with Optuna's rules): at each rung a trial goes on only if its
/// value there is among the top 1/η of all trials that have reached that rung.
/// </summary>
/// <remarks>
/// <para><b>Rungs.</b> Rung <c>k</c> (k = 0, 1, …) is at step <c>r·η^(s+k)</c>, where <c>r</c> is <see cref="MinResource"/>, <c>η</c>
/// <see cref="ReductionFactor"/> and <c>s</c> <see cref="MinEarlyStoppingRate"/>. With the defaults (r = 1, η = 3, s = 0) the rungs are
/// at steps 1, 3, 9, 27, …; steps are the ones given to <see cref="Trial.Report(int, double)"/>.</para>
/// <para><b>Value at a rung.</b> A trial reaches rung <c>k</c> with its first report of the study's first objective at a step at or
/// after the rung's step; that reported value is its value at the rung. Every trial of the history counts, whatever its state (running,
/// complete, pruned), as in Optuna, where a trial's rung values stay recorded after it stops.</para>
/// <para><b>Decision.</b> <see cref="ShouldPrune"/> looks at the trial's latest report of the first objective. For each rung that this
/// report reaches for the first time (one rung, or several when steps jump), in order: let <c>n</c> be the number of trials that have
/// reached the rung (this one included) and <c>i = max(0, ⌊n/η⌋ − 1)</c>; the trial is promoted when its value is at least as good as
/// the <c>i</c>-th best (0-based) of their values, and pruned otherwise. The first trial to reach a rung is therefore always promoted,
/// and one that reports NaN is pruned. Rungs that earlier reports reached are not judged again: the decision at a rung is made once,
/// when the trial gets there, against the trials that were there before it (call <see cref="ShouldPrune"/> after every report, as
/// <see cref="Trial.ShouldPrune"/> is meant to be used).</para>
/// <para>Only the first objective is read; for several objectives see <see cref="ParetoPruner"/>. Unlike Optuna, the minimum resource is
/// given, not estimated ("auto"), and there is no bootstrap count.</para>
/// </remarks>
/// <example>
/// <code>
/// var study = new Study("sh", space, new RandomSearch(), [Objective.Maximize("val_accuracy")], pruner: new SuccessiveHalvingPruner(minResource: 1));
/// </code>
/// </example>
public sealed class SuccessiveHalvingPruner : IPruner
{
    /// <summary>The default reduction factor η (Optuna's).</summary>
    public const int DefaultReductionFactor = 3;

    /// <summary>Initializes a new instance of the <see cref="SuccessiveHalvingPruner"/> class.</summary>
    /// <param name="minResource">The step of the first rung (before the early-stopping rate is applied); at least 1.</param>
    /// <param name="reductionFactor">The reduction factor η: the top 1/η of a rung is promoted; at least 2.</param>
    /// <param name="minEarlyStoppingRate">The early-stopping rate s: rung k is at <c>minResource·η^(s+k)</c>; at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is below its minimum; the message gives the value.</exception>
    public SuccessiveHalvingPruner(int minResource = 1, int reductionFactor = DefaultReductionFactor, int minEarlyStoppingRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minResource, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(minEarlyStoppingRate);
        MinResource = minResource;
        ReductionFactor = reductionFactor;
        MinEarlyStoppingRate = minEarlyStoppingRate;
    }

    /// <summary>Gets the minimum resource r: the first rung is at step <c>r·η^s</c>.</summary>
    public int MinResource { get; }

    /// <summary>Gets the reduction factor η.</summary>
    public int ReductionFactor { get; }

    /// <summary>Gets the minimum early-stopping rate s.</summary>
    public int MinEarlyStoppingRate { get; }

    /// <summary>Returns the step of a rung: <c>MinResource · ReductionFactor^(MinEarlyStoppingRate + rung)</c>.</summary>
    /// <param name="rung">The rung, from 0.</param>
    /// <returns>The step, or <see cref="long.MaxValue"/> when it does not fit in 64 bits.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rung"/> is negative.</exception>
    public long RungStep(int rung)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rung);
        long step = MinResource;
        for (var e = 0; e < MinEarlyStoppingRate + rung; e++)
        {
            if (step > long.MaxValue / ReductionFactor)
            {
                return long.MaxValue;
            }

            step *= ReductionFactor;
        }

        return step;
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
            throw new ArgumentException("The successive-halving pruner needs at least one objective (it reads the first), but got none.", nameof(objectives));
        }

        var objective = objectives[0];
        var reports = Reports(trial, objective.Name);
        if (reports.Count == 0)
        {
            return false;
        }

        var (lastStep, lastValue) = reports[^1];
        var previousStep = reports.Count > 1 ? reports[^2].Step : -1;
        for (var rung = 0; ; rung++)
        {
            var rungStep = RungStep(rung);
            if (rungStep > lastStep)
            {
                return false;
            }

            if (rungStep <= previousStep)
            {
                // An earlier report reached this rung; it was judged then.
                continue;
            }

            if (double.IsNaN(lastValue))
            {
                return true;
            }

            if (!IsPromotable(trial, lastValue, rungStep, history, objective))
            {
                return true;
            }
        }
    }

    /// <summary>Returns a trial's reports of one metric, ordered by step.</summary>
    private static List<(int Step, double Value)> Reports(FrozenTrial trial, string metric) =>
        [.. trial.Intermediate.Where(v => v.Values.ContainsKey(metric)).OrderBy(v => v.Step).Select(v => (v.Step, v.Values[metric]))];

    private bool IsPromotable(FrozenTrial trial, double value, long rungStep, IReadOnlyList<FrozenTrial> history, Objective objective)
    {
        // The competitors' values at the rung, oriented for minimisation; the trial itself counts once, with its own value.
        var values = new List<double> { objective.ToMinimization(value) };
        foreach (var other in history)
        {
            if (other.Number == trial.Number)
            {
                continue;
            }

            var first = other.Intermediate
                .Where(v => v.Step >= rungStep && v.Values.ContainsKey(objective.Name))
                .MinBy(v => v.Step);
            if (first is not null && !double.IsNaN(first.Values[objective.Name]))
            {
                values.Add(objective.ToMinimization(first.Values[objective.Name]));
            }
        }

        values.Sort();
        var index = Math.Max(0, (values.Count / ReductionFactor) - 1);
        return objective.ToMinimization(value) <= values[index];
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SuccessiveHalvingPruner(minResource={MinResource}, reductionFactor={ReductionFactor}, minEarlyStoppingRate={MinEarlyStoppingRate})");
}
