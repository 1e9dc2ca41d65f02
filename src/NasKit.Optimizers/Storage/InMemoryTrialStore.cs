using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers.Storage;

/// <summary>A thread-safe <see cref="ITrialStore"/> that keeps studies in memory (lost when the process ends).</summary>
public sealed class InMemoryTrialStore : ITrialStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StudyData> _studies = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="InMemoryTrialStore"/> class.</summary>
    /// <param name="timeProvider">The clock for trial timestamps; null uses the system clock.</param>
    public InMemoryTrialStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc/>
    public bool CreateOrOpenStudy(string name, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(attributes);
        lock (_gate)
        {
            if (_studies.TryGetValue(name, out var existing))
            {
                TrialStateRules.EnsureSameAttributes(name, existing.Attributes, attributes);
                return false;
            }

            _studies[name] = new StudyData(new Dictionary<string, string>(attributes, StringComparer.Ordinal));
            return true;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string>? GetStudyAttributes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            return _studies.TryGetValue(name, out var s) ? new Dictionary<string, string>(s.Attributes, StringComparer.Ordinal) : null;
        }
    }

    /// <inheritdoc/>
    public FrozenTrial CreateTrial(string study, string architecture, string canonicalHash, IReadOnlyDictionary<string, double>? parameters = null, string? worker = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(canonicalHash);
        lock (_gate)
        {
            var s = Study(study);
            var now = _time.GetUtcNow();
            var trial = new FrozenTrial
            {
                Number = s.Trials.Count,
                State = TrialState.Running,
                Architecture = architecture,
                CanonicalHash = canonicalHash,
                Parameters = parameters is null ? new Dictionary<string, double>() : new Dictionary<string, double>(parameters, StringComparer.Ordinal),
                StartedAt = now,
                Worker = worker,
                LastHeartbeat = now,
            };
            s.Trials.Add(trial);
            return trial;
        }
    }

    /// <inheritdoc/>
    public void Heartbeat(string study, int number)
    {
        lock (_gate)
        {
            var s = Study(study);
            var trial = TrialStateRules.Get(study, s.Trials, number);
            if (trial.State == TrialState.Running)
            {
                s.Trials[number] = trial with { LastHeartbeat = _time.GetUtcNow() };
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> FailStaleTrials(string study, TimeSpan lease)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        lock (_gate)
        {
            var s = Study(study);
            var now = _time.GetUtcNow();
            var failed = new List<FrozenTrial>();
            for (var i = 0; i < s.Trials.Count; i++)
            {
                var t = s.Trials[i];
                if (TrialStateRules.IsStale(t, now, lease))
                {
                    s.Trials[i] = TrialStateRules.Finish(study, t, TrialState.Failed, null, TrialStateRules.LeaseExpiredReason(t.Worker, t.LastHeartbeat ?? t.StartedAt, lease), now);
                    failed.Add(s.Trials[i]);
                }
            }

            return failed;
        }
    }

    /// <inheritdoc/>
    public void SetTrialParameter(string study, int number, string name, double value, ParameterDistribution distribution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(distribution);
        lock (_gate)
        {
            var s = Study(study);
            var trial = TrialStateRules.Get(study, s.Trials, number);
            var existing = s.Trials.Select(t => t.Distributions.GetValueOrDefault(name)).FirstOrDefault(d => d is not null);
            TrialStateRules.EnsureCanSetParameter(study, trial, name, value, distribution, existing);
            s.Trials[number] = trial with
            {
                Parameters = new Dictionary<string, double>(trial.Parameters, StringComparer.Ordinal) { [name] = value },
                Distributions = new Dictionary<string, ParameterDistribution>(trial.Distributions, StringComparer.Ordinal) { [name] = distribution },
            };
        }
    }

    /// <inheritdoc/>
    public void ReportIntermediate(string study, int number, IntermediateValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var s = Study(study);
            var trial = TrialStateRules.Get(study, s.Trials, number);
            TrialStateRules.EnsureCanReport(study, trial, value);
            s.Trials[number] = trial with { Intermediate = [.. trial.Intermediate, value] };
        }
    }

    /// <inheritdoc/>
    public FrozenTrial FinishTrial(string study, int number, TrialState state, IReadOnlyDictionary<string, double>? metrics = null, string? failureReason = null)
    {
        lock (_gate)
        {
            var s = Study(study);
            var trial = TrialStateRules.Get(study, s.Trials, number);
            var finished = TrialStateRules.Finish(study, trial, state, metrics, failureReason, _time.GetUtcNow());
            s.Trials[number] = finished;
            return finished;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> GetTrials(string study)
    {
        lock (_gate)
        {
            return Study(study).Trials.ToArray();
        }
    }

    private StudyData Study(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _studies.TryGetValue(name, out var s) ? s : throw TrialStateRules.UnknownStudy(name);
    }

    private sealed record StudyData(Dictionary<string, string> Attributes)
    {
        public List<FrozenTrial> Trials { get; } = [];
    }
}
