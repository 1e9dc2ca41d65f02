using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers;

/// <summary>
/// An immutable snapshot of one trial as a trial store keeps it: its architecture (by text form), state, metrics, intermediate
/// values and timing. Strategies and pruners read the history of a study as a list of these.
/// </summary>
public sealed record FrozenTrial
{
    /// <summary>Gets the trial's number within its study, from 0, in the order trials were asked for.</summary>
    public required int Number { get; init; }

    /// <summary>Gets the trial's state.</summary>
    public required TrialState State { get; init; }

    /// <summary>Gets the architecture's text form (the space's <see cref="SearchSpace.ISearchSpace.Parse"/> reads it back).</summary>
    public required string Architecture { get; init; }

    /// <summary>Gets the architecture's <see cref="SearchSpace.Architecture.CanonicalHash"/>, the key for de-duplication.</summary>
    public required string CanonicalHash { get; init; }

    /// <summary>Gets the final metrics by name (objective values among them); empty unless <see cref="TrialState.Complete"/>.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets the values reported while the trial ran, by step.</summary>
    public IReadOnlyList<IntermediateValue> Intermediate { get; init; } = [];

    /// <summary>Gets the suggested hyper-parameter values by name, in their internal representation (the number for integer and real
    /// parameters, the choice's index for categorical ones; see <see cref="GetParameter{T}"/> for the value itself); empty for pure
    /// architecture search.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets the distribution each suggested hyper-parameter was drawn from, by name (a parameter given to
    /// <see cref="Storage.ITrialStore.CreateTrial"/> without one has none).</summary>
    public IReadOnlyDictionary<string, ParameterDistribution> Distributions { get; init; } = new Dictionary<string, ParameterDistribution>();

    /// <summary>Gets why the trial failed, when <see cref="State"/> is <see cref="TrialState.Failed"/>.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Gets when the trial was asked for.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the trial reached its final state, if it has.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Gets the worker that runs (ran) the trial, as given to <see cref="Storage.ITrialStore.CreateTrial"/>.</summary>
    public string? Worker { get; init; }

    /// <summary>Gets the last sign of life of the worker running the trial (its start, or its last heartbeat).</summary>
    public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>Gets whether the trial failed because its worker stopped sending heartbeats (it is requeued by the study).</summary>
    public bool IsLeaseExpired => State == TrialState.Failed && FailureReason is not null && FailureReason.StartsWith(LeaseExpiredReason, StringComparison.Ordinal);

    /// <summary>The start of the failure reason of trials whose worker died (see <see cref="Storage.ITrialStore.FailStaleTrials"/>).</summary>
    public const string LeaseExpiredReason = "lease expired";

    /// <summary>Gets whether the trial has reached a final state.</summary>
    public bool IsFinished => State != TrialState.Running;

    /// <summary>Gets a final metric.</summary>
    /// <param name="name">The metric.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The trial has no such metric; the message lists the ones it has.</exception>
    public double GetMetric(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Metrics.TryGetValue(name, out var v)
            ? v
            : throw new KeyNotFoundException($"Trial {Number} ({State}) has no metric '{name}'; it has: {(Metrics.Count == 0 ? "none" : string.Join(", ", Metrics.Keys))}.");
    }

    /// <summary>Gets the value of a suggested hyper-parameter as the user sees it (an <see cref="int"/>, a <see cref="double"/>, or the
    /// categorical choice).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The trial has no such parameter; the message lists the ones it has.</exception>
    /// <exception cref="InvalidCastException">The value is not a <typeparamref name="T"/>; the message gives its distribution.</exception>
    public T GetParameter<T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Parameters.TryGetValue(name, out var value))
        {
            throw new KeyNotFoundException($"Trial {Number} has no parameter '{name}'; it has: {(Parameters.Count == 0 ? "none" : string.Join(", ", Parameters.Keys))}.");
        }

        object external = Distributions.TryGetValue(name, out var distribution) ? distribution.ToExternal(value) : value;
        return external is T typed
            ? typed
            : throw new InvalidCastException(
                $"Parameter '{name}' of trial {Number} is a {external.GetType().Name} ({(distribution is null ? "no distribution" : distribution.ToString())}), not a {typeof(T).Name}.");
    }
}
