using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;

namespace NasKit.Optimizers;

/// <summary>
/// A running trial handed out by <see cref="Study.Ask"/>: the architecture to evaluate, and the way to report intermediate values.
/// Finish it with <see cref="Study.Tell(Trial, IReadOnlyDictionary{string, double})"/> (or let <c>Study.OptimizeAsync</c> do it).
/// </summary>
public sealed class Trial : ITrialReporter
{
    private readonly Study _study;

    internal Trial(Study study, int number, Architecture architecture)
    {
        _study = study;
        Number = number;
        Architecture = architecture;
    }

    /// <summary>Gets the trial's number in its study.</summary>
    public int Number { get; }

    /// <summary>Gets the architecture to evaluate.</summary>
    public Architecture Architecture { get; }

    /// <summary>Gets the study the trial belongs to.</summary>
    public Study Study => _study;

    /// <summary>Records values observed at a step (for example validation accuracy after an epoch) in the study's store.</summary>
    /// <param name="step">The step, from 0, each reported once.</param>
    /// <param name="values">The values by metric name.</param>
    /// <exception cref="InvalidOperationException">The trial has finished, or the step was already reported.</exception>
    public void Report(int step, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _study.Store.ReportIntermediate(_study.Name, Number, new IntermediateValue(step, new Dictionary<string, double>(values, StringComparer.Ordinal)));
    }

    /// <summary>Records the value of the study's first objective at a step.</summary>
    /// <param name="step">The step.</param>
    /// <param name="value">The value.</param>
    public void Report(int step, double value) => Report(step, new Dictionary<string, double> { [_study.Objectives[0].Name] = value });

    /// <summary>Gets whether the study's pruner would stop the trial now, given what it has reported (then throw <see cref="TrialPrunedException"/>).</summary>
    public bool ShouldPrune => _study.ShouldPrune(Number);

    /// <inheritdoc/>
    public override string ToString() => $"trial {Number}: {Architecture}";
}
