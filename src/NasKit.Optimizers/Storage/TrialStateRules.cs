using System.Globalization;
using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers.Storage;

/// <summary>
/// The state-machine rules every <see cref="ITrialStore"/> applies (attribute checks on reopening, unknown studies and trials,
/// intermediate reports, the Running → final-state transition, lease expiry), public so that stores in other assemblies refuse the
/// same things with the same messages as <see cref="InMemoryTrialStore"/>.
/// </summary>
public static class TrialStateRules
{
    /// <summary>Checks that a study is reopened with the attributes it was created with.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="stored">The attributes the study was created with.</param>
    /// <param name="requested">The attributes it is opened with.</param>
    /// <exception cref="ArgumentException">The attributes differ; the message lists every difference.</exception>
    public static void EnsureSameAttributes(string study, IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string> requested)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(requested);
        var differences = stored.Keys.Union(requested.Keys)
            .Where(k => !(stored.TryGetValue(k, out var a) && requested.TryGetValue(k, out var b) && string.Equals(a, b, StringComparison.Ordinal)))
            .Select(k => $"{k}: stored '{stored.GetValueOrDefault(k) ?? "(none)"}', requested '{requested.GetValueOrDefault(k) ?? "(none)"}'")
            .ToList();
        if (differences.Count > 0)
        {
            throw new ArgumentException($"The study '{study}' exists with different attributes ({string.Join("; ", differences)}); open it with the same ones or use another name.", nameof(requested));
        }
    }

    /// <summary>Gets whether a trial is running and its worker has been silent for longer than the lease.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="now">The current time.</param>
    /// <param name="lease">How long a running trial may go without a heartbeat.</param>
    /// <returns>Whether the trial's lease has expired.</returns>
    public static bool IsStale(FrozenTrial trial, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.State == TrialState.Running && now - (trial.LastHeartbeat ?? trial.StartedAt) > lease;
    }

    /// <summary>Gets the failure reason of a trial whose worker stopped sending heartbeats; it starts with <see cref="FrozenTrial.LeaseExpiredReason"/>.</summary>
    /// <param name="worker">The trial's worker, if known.</param>
    /// <param name="lastSignOfLife">The trial's last heartbeat (or its start when it never sent one).</param>
    /// <param name="lease">The lease that expired.</param>
    /// <returns>The reason.</returns>
    public static string LeaseExpiredReason(string? worker, DateTimeOffset lastSignOfLife, TimeSpan lease) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{FrozenTrial.LeaseExpiredReason}: worker '{worker ?? "unknown"}' sent no heartbeat for more than {lease.TotalSeconds:G4} s (last at {lastSignOfLife:O}); the architecture is requeued");

    /// <summary>Creates the exception a store throws for a study it does not have.</summary>
    /// <param name="study">The study's name.</param>
    /// <returns>The exception, to throw.</returns>
    public static KeyNotFoundException UnknownStudy(string study) =>
        new($"The store has no study '{study}'; create it with CreateOrOpenStudy first.");

    /// <summary>Creates the exception a store throws for a trial number a study does not have.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The requested trial number.</param>
    /// <param name="trialCount">How many trials the study has.</param>
    /// <returns>The exception, to throw.</returns>
    public static KeyNotFoundException UnknownTrial(string study, int number, int trialCount) =>
        new($"The study '{study}' has no trial {number}; it has trials 0..{trialCount - 1}.");

    /// <summary>Gets a trial by number from a study's trials.</summary>
    /// <param name="study">The study's name (for the message).</param>
    /// <param name="trials">The study's trials, by number.</param>
    /// <param name="number">The trial's number.</param>
    /// <returns>The trial.</returns>
    /// <exception cref="KeyNotFoundException">The study has no such trial; the message gives the valid range.</exception>
    public static FrozenTrial Get(string study, IReadOnlyList<FrozenTrial> trials, int number)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return number >= 0 && number < trials.Count ? trials[number] : throw UnknownTrial(study, number, trials.Count);
    }

    /// <summary>Checks that a hyper-parameter may be recorded on a trial.</summary>
    /// <param name="study">The study's name (for the message).</param>
    /// <param name="trial">The trial as stored.</param>
    /// <param name="name">The parameter's name.</param>
    /// <param name="value">The value, in its internal representation.</param>
    /// <param name="distribution">The distribution the value was drawn from.</param>
    /// <param name="studyDistribution">The distribution other trials of the study use for the name, or null when none has it.</param>
    /// <exception cref="InvalidOperationException">The trial is not running, or already has the parameter.</exception>
    /// <exception cref="ArgumentException">The name is empty, the value is outside the distribution, or the study uses another
    /// distribution for the name.</exception>
    public static void EnsureCanSetParameter(string study, FrozenTrial trial, string name, double value, ParameterDistribution distribution, ParameterDistribution? studyDistribution)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(distribution);
        if (trial.State != TrialState.Running)
        {
            throw new InvalidOperationException($"Trial {trial.Number} of study '{study}' is {trial.State}; only running trials take new parameters.");
        }

        if (trial.Parameters.ContainsKey(name))
        {
            throw new InvalidOperationException($"Trial {trial.Number} of study '{study}' already has the parameter '{name}'; a parameter is set once per trial.");
        }

        if (!distribution.Contains(value))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The value {value:R} of parameter '{name}' of trial {trial.Number} is not in its distribution {distribution}."), nameof(value));
        }

        if (studyDistribution is not null && !studyDistribution.Equals(distribution))
        {
            throw IncompatibleDistribution(study, name, studyDistribution, distribution);
        }
    }

    /// <summary>Creates the exception for a parameter asked for with another distribution than the one its study already uses.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="name">The parameter's name.</param>
    /// <param name="existing">The distribution the study uses for the name.</param>
    /// <param name="requested">The distribution asked for.</param>
    /// <returns>The exception, to throw.</returns>
    public static ArgumentException IncompatibleDistribution(string study, string name, ParameterDistribution existing, ParameterDistribution requested)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(requested);
        return new ArgumentException(
            $"The parameter '{name}' of study '{study}' was suggested with the distribution {existing}, but is now asked for with {requested}; " +
            "a name keeps one distribution within a study (use another name).",
            nameof(requested));
    }

    /// <summary>Checks that a trial may report an intermediate value.</summary>
    /// <param name="study">The study's name (for the message).</param>
    /// <param name="trial">The trial as stored.</param>
    /// <param name="value">The value to report.</param>
    /// <exception cref="InvalidOperationException">The trial is not running, or already reported the step.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative.</exception>
    public static void EnsureCanReport(string study, FrozenTrial trial, IntermediateValue value)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(value);
        if (trial.State != TrialState.Running)
        {
            throw new InvalidOperationException($"Trial {trial.Number} of study '{study}' is {trial.State}; only running trials report intermediate values.");
        }

        if (value.Step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Step, "The step must not be negative.");
        }

        if (trial.Intermediate.Any(v => v.Step == value.Step))
        {
            throw new InvalidOperationException($"Trial {trial.Number} of study '{study}' already reported step {value.Step}.");
        }
    }

    /// <summary>Checks a transition to a final state and returns the finished trial (the store then records it).</summary>
    /// <param name="study">The study's name (for the message).</param>
    /// <param name="trial">The trial as stored.</param>
    /// <param name="state">The final state.</param>
    /// <param name="metrics">The final metrics (required for <see cref="TrialState.Complete"/>).</param>
    /// <param name="failureReason">Why the trial failed (required for <see cref="TrialState.Failed"/>).</param>
    /// <param name="now">The finishing time.</param>
    /// <returns>The trial in its final state.</returns>
    /// <exception cref="InvalidOperationException">The trial has already finished.</exception>
    /// <exception cref="ArgumentException">The state is Running, a completed trial has no metrics or a non-finite one, or a failed trial has no reason.</exception>
    public static FrozenTrial Finish(string study, FrozenTrial trial, TrialState state, IReadOnlyDictionary<string, double>? metrics, string? failureReason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State != TrialState.Running)
        {
            throw new InvalidOperationException($"Trial {trial.Number} of study '{study}' already finished as {trial.State}; a trial finishes once.");
        }

        switch (state)
        {
            case TrialState.Running:
                throw new ArgumentException("A trial cannot finish in the Running state; use Complete, Pruned or Failed.", nameof(state));
            case TrialState.Complete when metrics is null || metrics.Count == 0:
                throw new ArgumentException($"Trial {trial.Number} cannot complete without metrics.", nameof(metrics));
            case TrialState.Failed when string.IsNullOrWhiteSpace(failureReason):
                throw new ArgumentException($"Trial {trial.Number} cannot fail without a reason.", nameof(failureReason));
        }

        if (metrics is not null)
        {
            foreach (var (name, value) in metrics)
            {
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"Metric '{name}' of trial {trial.Number} is {value}; a diverged evaluation is a Failed trial with a reason, not a metric.", nameof(metrics));
                }
            }
        }

        return trial with
        {
            State = state,
            Metrics = metrics is null ? new Dictionary<string, double>() : new Dictionary<string, double>(metrics, StringComparer.Ordinal),
            FailureReason = state == TrialState.Failed ? failureReason : null,
            FinishedAt = now,
        };
    }
}
