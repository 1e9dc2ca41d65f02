using NasKit.Objectives.Evaluation;
using NasKit.Optimizers.Distributions;
using NasKit.SearchSpace;

namespace NasKit.Optimizers;

/// <summary>
/// A running trial handed out by <see cref="Study.Ask"/>: the architecture to evaluate, and the way to report intermediate values.
/// Finish it with <see cref="Study.Tell(Trial, IReadOnlyDictionary{string, double})"/> (or let <c>Study.OptimizeAsync</c> do it).
/// </summary>
/// <remarks>
/// <para><b>Hyper-parameters.</b> <see cref="SuggestInt"/>, <see cref="SuggestFloat"/> and <see cref="SuggestCategorical{T}"/> ask the
/// study's sampler (<see cref="StudyOptions.Sampler"/>) for a value, with Optuna's rules: asking again for a name with the same
/// distribution returns the stored value; a name keeps one distribution within a study (stricter than Optuna, which only requires the
/// same kind); a distribution with a single value returns it without sampling. Each value is written to the store when it is suggested,
/// so a trial whose worker died is requeued with its values.</para>
/// <para>The sampler's generator is seeded from the study's seed, the trial number and a stable hash of the name, so the same seed and
/// history give the same values in any order of suggestion and in any process.</para>
/// </remarks>
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

    /// <summary>Suggests an integer hyper-parameter in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value; adjusted down onto the grid low, low + step, … when (high − low) is not a multiple of step.</param>
    /// <param name="step">The grid step, at least 1.</param>
    /// <param name="log">Whether to search in log space (then step must be 1 and low at least 1).</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The name is empty, the range breaks a rule of <see cref="IntDistribution"/>, or the study already
    /// uses the name with another distribution (the message gives both).</exception>
    /// <exception cref="InvalidOperationException">The trial has finished.</exception>
    public int SuggestInt(string name, int low, int high, int step = 1, bool log = false) =>
        (int)Suggest(name, new IntDistribution(low, high, step, log));

    /// <summary>Suggests a real hyper-parameter in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value; with a step, adjusted down onto the grid when (high − low) is not a multiple of it.</param>
    /// <param name="step">The grid step, or null for a continuous value.</param>
    /// <param name="log">Whether to search in log space (then there is no step and low is positive).</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The name is empty, the range breaks a rule of <see cref="FloatDistribution"/>, or the study already
    /// uses the name with another distribution (the message gives both).</exception>
    /// <exception cref="InvalidOperationException">The trial has finished.</exception>
    public double SuggestFloat(string name, double low, double high, double? step = null, bool log = false) =>
        Suggest(name, new FloatDistribution(low, high, step, log));

    /// <summary>Suggests one of a list of choices.</summary>
    /// <typeparam name="T">The choice type: <see cref="string"/>, <see cref="int"/>, <see cref="double"/> or <see cref="bool"/>.</typeparam>
    /// <param name="name">The parameter's name.</param>
    /// <param name="choices">The choices (at least one, distinct).</param>
    /// <returns>The chosen value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="choices"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is empty, a choice is null, the choices break a rule of <see cref="CategoricalDistribution"/>, or the
    /// study already uses the name with another distribution (the message gives both).</exception>
    /// <exception cref="InvalidOperationException">The trial has finished.</exception>
    public T SuggestCategorical<T>(string name, IReadOnlyList<T> choices)
        where T : notnull
    {
        var distribution = CategoricalDistribution.Of(choices);
        return (T)distribution.Choices[(int)Suggest(name, distribution)];
    }

    /// <summary>Gets whether the study's pruner would stop the trial now, given what it has reported (then throw <see cref="TrialPrunedException"/>).</summary>
    public bool ShouldPrune => _study.ShouldPrune(Number);

    private double Suggest(string name, ParameterDistribution distribution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _study.Suggest(Number, name, distribution);
    }

    /// <inheritdoc/>
    public override string ToString() => $"trial {Number}: {Architecture}";
}
