using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasKit.Objectives;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Internal;
using NasKit.Optimizers.Pruners;
using NasKit.Optimizers.Samplers;
using NasKit.Optimizers.Storage;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace;
using NasKit.Tensors;

namespace NasKit.Optimizers;

/// <summary>
/// A search: a space, a strategy, objectives (and optional constraints) and a trial store. Ask/tell is the one contract —
/// <see cref="Ask"/> gives a trial with an architecture, <see cref="Tell(Trial, IReadOnlyDictionary{string, double})"/> records its
/// result — and <c>OptimizeAsync</c> is sugar over it.
/// </summary>
/// <remarks>
/// <para>Everything a study knows lives in its store, so a study opened again on the same store (same name, space, strategy and
/// objectives) continues where it stopped, and several workers sharing one store work on one study.</para>
/// <para>Proposals are a function of the seed, the trial number and the history: the strategy gets a generator seeded with
/// (<see cref="StudyOptions.Seed"/>, trial number). Unless <see cref="StudyOptions.AllowDuplicates"/> is set, an architecture already in
/// the study (by canonical form) is never asked for again.</para>
/// </remarks>
/// <example>
/// <code>
/// var study = new Study("nb201-rea", new Nb201SearchSpace(), new RegularizedEvolution(), [Objective.Maximize("accuracy")]);
/// var result = await study.OptimizeAsync((trial, ct) => Evaluate(trial.Architecture, ct), trials: 100);
/// Console.WriteLine(result.BestTrial);
/// </code>
/// </example>
public sealed class Study
{
    private readonly Lock _askGate = new();
    private readonly Lock _suggestGate = new();
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="Study"/> class, creating the study in the store or opening it.</summary>
    /// <param name="name">The study's name in the store.</param>
    /// <param name="space">The search space.</param>
    /// <param name="strategy">The search strategy.</param>
    /// <param name="objectives">The objectives (at least one; names are metric names).</param>
    /// <param name="store">The trial store; null keeps the study in memory.</param>
    /// <param name="constraints">Constraints on metrics (a trial is feasible when all hold); null for none.</param>
    /// <param name="pruner">Decides when a running trial should stop early; null never prunes.</param>
    /// <param name="options">The options; null uses the defaults.</param>
    /// <param name="logger">Where progress is logged; null logs nothing.</param>
    /// <exception cref="ArgumentException">No objectives, two with one name, or the store holds a study of this name created with a
    /// different space, strategy or objectives.</exception>
    public Study(string name, ISearchSpace space, ISearchStrategy strategy, IReadOnlyList<Objective> objectives, ITrialStore? store = null,
        IReadOnlyList<Constraint>? constraints = null, IPruner? pruner = null, StudyOptions? options = null, ILogger<Study>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0)
        {
            throw new ArgumentException("A study needs at least one objective.", nameof(objectives));
        }

        var duplicate = objectives.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The objective '{duplicate.Key}' is given twice.", nameof(objectives));
        }

        Name = name;
        Space = space;
        Strategy = strategy;
        Objectives = [.. objectives];
        Constraints = constraints is null ? [] : [.. constraints];
        Store = store ?? new InMemoryTrialStore();
        Pruner = pruner;
        Options = options ?? new StudyOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["space"] = space.Name,
            ["strategy"] = strategy.Name,
            ["objectives"] = string.Join(",", Objectives.Select(o => o.ToString())),
            ["constraints"] = string.Join(",", Constraints.Select(c => c.ToString())),
            ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
        };
        if (!Store.CreateOrOpenStudy(name, attributes) && _logger.IsEnabled(LogLevel.Information))
        {
            _logger.StudyResumed(name, Store.GetTrials(name).Count);
        }
    }

    /// <summary>Gets the study's name.</summary>
    public string Name { get; }

    /// <summary>Gets the search space.</summary>
    public ISearchSpace Space { get; }

    /// <summary>Gets the strategy.</summary>
    public ISearchStrategy Strategy { get; }

    /// <summary>Gets the objectives.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>Gets the constraints.</summary>
    public IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>Gets the trial store.</summary>
    public ITrialStore Store { get; }

    /// <summary>Gets the pruner, if any.</summary>
    public IPruner? Pruner { get; }

    /// <summary>Gets the options.</summary>
    public StudyOptions Options { get; }

    /// <summary>Gets every trial so far, by number.</summary>
    public IReadOnlyList<FrozenTrial> Trials => Store.GetTrials(Name);

    /// <summary>Gets the best completed trial of a single-objective study (feasible trials first), or null when none completed.</summary>
    /// <exception cref="InvalidOperationException">The study has several objectives; use <see cref="BestTrials"/>.</exception>
    public FrozenTrial? BestTrial
    {
        get
        {
            if (Objectives.Count != 1)
            {
                throw new InvalidOperationException($"The study has {Objectives.Count} objectives; there is no single best trial, use BestTrials (the Pareto front).");
            }

            return Completed(Trials).OrderBy(Violation).ThenBy(t => Objectives[0].ToMinimization(t.GetMetric(Objectives[0].Name))).ThenBy(t => t.Number).FirstOrDefault();
        }
    }

    /// <summary>Gets the completed trials no other completed trial dominates (constraint-domination when constraints are given), by number.</summary>
    public IReadOnlyList<FrozenTrial> BestTrials
    {
        get
        {
            var done = Completed(Trials).ToList();
            return NasKit.Objectives.Pareto.ParetoFront.Of(done, t => t.Metrics, Objectives, Constraints);
        }
    }

    /// <summary>Asks for a trial: the strategy proposes an architecture (not one already in the study, unless allowed) and the store records it as running.</summary>
    /// <returns>The trial.</returns>
    /// <exception cref="InvalidOperationException">No unseen architecture was found in <see cref="StudyOptions.MaxProposalAttempts"/> proposals.</exception>
    public Trial Ask()
    {
        lock (_askGate)
        {
            Store.FailStaleTrials(Name, Options.Lease);
            var history = Store.GetTrials(Name);
            var requeued = Requeued(history);
            if (requeued is not null)
            {
                var again = Space.Parse(requeued.Architecture);
                // The dead worker's suggested hyper-parameters go with its architecture, so the trial runs again as it was.
                var untyped = requeued.Parameters.Where(p => !requeued.Distributions.ContainsKey(p.Key)).ToDictionary(StringComparer.Ordinal);
                var retry = Store.CreateTrial(Name, requeued.Architecture, requeued.CanonicalHash, untyped, Options.Worker);
                foreach (var (parameter, distribution) in requeued.Distributions)
                {
                    Store.SetTrialParameter(Name, retry.Number, parameter, requeued.Parameters[parameter], distribution);
                }

                return new Trial(this, retry.Number, again);
            }

            var generator = new Generator(MixSeed(Options.Seed, Budgeted(history)));
            var context = new StrategyContext(Space, history, generator, Objectives.Count == 1 ? Fitness : null, Objectives, Constraints);
            for (var attempt = 0; attempt < Math.Max(1, Options.MaxProposalAttempts); attempt++)
            {
                var architecture = Strategy.Propose(context);
                if (Options.AllowDuplicates || !context.HasSeen(architecture))
                {
                    var frozen = Store.CreateTrial(Name, architecture.ToString(), architecture.CanonicalHash(), worker: Options.Worker);
                    if (_logger.IsEnabled(LogLevel.Debug))
                    {
                        _logger.TrialAsked(frozen.Number, frozen.Architecture);
                    }

                    return new Trial(this, frozen.Number, architecture);
                }
            }

            throw new InvalidOperationException(
                $"The {Strategy.Name} strategy proposed only architectures already in study '{Name}' in {Options.MaxProposalAttempts} attempts ({history.Count} trials so far); the space may be exhausted. Set AllowDuplicates to re-evaluate.");
        }
    }

    /// <summary>Completes a trial with its metrics (every objective must be among them).</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="metrics">The final metrics by name.</param>
    /// <returns>The finished trial.</returns>
    /// <exception cref="ArgumentException">An objective's metric is missing or a metric is not finite.</exception>
    public FrozenTrial Tell(Trial trial, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(metrics);
        var missing = Objectives.Select(o => o.Name).Concat(Constraints.Select(c => c.MetricName)).Where(n => !metrics.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Trial {trial.Number} is missing metric(s) {string.Join(", ", missing)}; it reported {string.Join(", ", metrics.Keys)}.", nameof(metrics));
        }

        var finished = Store.FinishTrial(Name, trial.Number, TrialState.Complete, metrics);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.TrialCompleted(trial.Number, string.Join(", ", metrics.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G6}"))));
        }

        return finished;
    }

    /// <summary>Ends a trial as pruned or failed.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="state"><see cref="TrialState.Pruned"/> or <see cref="TrialState.Failed"/>.</param>
    /// <param name="reason">Why (required for a failure).</param>
    /// <returns>The finished trial.</returns>
    /// <exception cref="ArgumentException">The state is Running or Complete (complete a trial with its metrics), or a failure has no reason.</exception>
    public FrozenTrial Tell(Trial trial, TrialState state, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (state is TrialState.Running or TrialState.Complete)
        {
            throw new ArgumentException($"Tell(trial, state) ends a trial as Pruned or Failed; {state} is not allowed (complete a trial with Tell(trial, metrics)).", nameof(state));
        }

        var finished = Store.FinishTrial(Name, trial.Number, state, failureReason: reason);
        _logger.TrialEnded(trial.Number, state, reason ?? "no reason given");
        return finished;
    }

    /// <summary>
    /// Runs trials until the study holds <paramref name="trials"/> trials (earlier ones, from a previous run or another worker,
    /// count), the timeout passes, or the token is cancelled; returns the best trial(s) so far in every case.
    /// </summary>
    /// <param name="objective">Evaluates a trial's architecture and returns its metrics; may report intermediate values, and throw
    /// <see cref="TrialPrunedException"/> to stop early. Any other exception fails the trial (with the exception's message as reason)
    /// and the study goes on.</param>
    /// <param name="trials">The study's trial budget.</param>
    /// <param name="timeout">Stop asking for new trials after this long; null for no limit.</param>
    /// <param name="maxConcurrency">How many trials run at once.</param>
    /// <param name="progress">Receives every finished trial.</param>
    /// <param name="cancellationToken">Stops the run: running trials see the token; they are recorded as failed ("cancelled").</param>
    /// <returns>The outcome: the best trial(s) so far and whether the run was cut short.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> or <paramref name="maxConcurrency"/> is not positive.</exception>
    public async Task<StudyResult> OptimizeAsync(Func<Trial, CancellationToken, ValueTask<IReadOnlyDictionary<string, double>>> objective, int trials,
        TimeSpan? timeout = null, int maxConcurrency = 1, IProgress<FrozenTrial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var deadline = timeout is { } t ? DateTimeOffset.UtcNow + t : DateTimeOffset.MaxValue;
        var stopped = false;
        var askGate = new Lock();

        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();

        async Task Worker()
        {
            while (true)
            {
                Trial? trial = null;
                var waitForOthers = false;
                lock (askGate)
                {
                    if (cancellationToken.IsCancellationRequested || DateTimeOffset.UtcNow >= deadline)
                    {
                        stopped = true;
                        return;
                    }

                    var history = Store.GetTrials(Name);
                    if (Budgeted(history) >= trials)
                    {
                        // The budget is spoken for. Trials still running elsewhere may belong to a dead worker: wait until they finish
                        // or their lease expires (then Ask requeues their architectures) instead of stopping short of the budget.
                        if (!history.Any(t => t.State == TrialState.Running && !inFlight.ContainsKey(t.Number)))
                        {
                            return;
                        }

                        waitForOthers = true;
                    }
                    else
                    {
                        trial = Ask();
                        inFlight[trial.Number] = true;
                    }
                }

                if (waitForOthers)
                {
                    try
                    {
                        await Task.Delay(Options.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Checked at the top of the loop.
                    }

                    Store.FailStaleTrials(Name, Options.Lease);
                    continue;
                }

                // Not progress?.Report(await ...): the null-conditional would skip the evaluation itself when progress is null.
                var finished = await RunOne(trial!, objective, cancellationToken).ConfigureAwait(false);
                inFlight.TryRemove(trial!.Number, out _);
                progress?.Report(finished);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, maxConcurrency).Select(_ => Task.Run(Worker, CancellationToken.None))).ConfigureAwait(false);
        var count = Budgeted(Trials);
        return new StudyResult(
            Objectives.Count == 1 ? BestTrial : null,
            BestTrials,
            count,
            stopped || count < trials);
    }

    /// <summary>Runs trials with an evaluator (trained accuracy, cost, a tabular benchmark, or a decorated combination) until the budget.</summary>
    /// <param name="evaluator">The evaluator; the trial is its reporter, so intermediate values reach the store and the pruner.</param>
    /// <param name="trials">The study's trial budget.</param>
    /// <param name="timeout">Stop asking for new trials after this long; null for no limit.</param>
    /// <param name="maxConcurrency">How many trials run at once.</param>
    /// <param name="progress">Receives every finished trial.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The outcome.</returns>
    public Task<StudyResult> OptimizeAsync(IEvaluator evaluator, int trials, TimeSpan? timeout = null, int maxConcurrency = 1,
        IProgress<FrozenTrial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        return OptimizeAsync(
            async (trial, ct) => (await evaluator.EvaluateAsync(trial.Architecture, trial, ct).ConfigureAwait(false)).Metrics,
            trials,
            timeout,
            maxConcurrency,
            progress,
            cancellationToken);
    }

    /// <summary>
    /// Computes the hypervolume of the feasible completed trials after each completed trial, in completion order (by finishing time,
    /// then number): entry k is the hypervolume of the first k + 1 completed trials, counting only those that satisfy every constraint.
    /// </summary>
    /// <param name="referencePoint">The reference point, one finite value per objective in their own units and directions (usually worse
    /// than every trial); null takes each objective's worst bound (<see cref="Objective.WorstBound"/>).</param>
    /// <returns>One entry per completed trial: its number and the hypervolume reached once it completed; non-decreasing.</returns>
    /// <exception cref="ArgumentException">The reference point has the wrong length or a non-finite value, or it is null and an objective
    /// has no worst bound.</exception>
    public IReadOnlyList<HypervolumeStep> GetHypervolumeHistory(IReadOnlyList<double>? referencePoint = null)
    {
        var completed = Completed(Trials).OrderBy(t => t.FinishedAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.Number).ToList();
        var points = completed.Select(t => Objectives.Select(o => o.GetValue(t.Metrics)).ToArray()).ToArray();
        var violations = Constraints.Count == 0 ? null : completed.Select(t => Constraint.TotalViolation(Constraints, t.Metrics)).ToArray();
        var volumes = NasKit.Objectives.Pareto.HypervolumeHistory.Compute(points, Objectives, referencePoint, violations);
        return [.. completed.Select((t, k) => new HypervolumeStep(t.Number, volumes[k]))];
    }

    /// <summary>Suggests (or returns the stored) value of a hyper-parameter of a running trial; see <see cref="Trial.SuggestFloat"/>.</summary>
    /// <param name="number">The trial's number.</param>
    /// <param name="name">The parameter's name.</param>
    /// <param name="distribution">The distribution asked for.</param>
    /// <returns>The value in its internal representation.</returns>
    internal double Suggest(int number, string name, ParameterDistribution distribution)
    {
        lock (_suggestGate)
        {
            var history = Store.GetTrials(Name);
            var trial = TrialStateRules.Get(Name, history, number);
            if (trial.Distributions.TryGetValue(name, out var own))
            {
                return own.Equals(distribution) ? trial.Parameters[name] : throw TrialStateRules.IncompatibleDistribution(Name, name, own, distribution);
            }

            var existing = history.Select(t => t.Distributions.GetValueOrDefault(name)).FirstOrDefault(d => d is not null);
            if (existing is not null && !existing.Equals(distribution))
            {
                throw TrialStateRules.IncompatibleDistribution(Name, name, existing, distribution);
            }

            double value;
            if (distribution.IsSingle)
            {
                value = RandomParameterSampler.Draw(distribution, new Generator(0));
            }
            else
            {
                var generator = new Generator(MixSeed(Options.Seed ^ StableHash(name), number));
                value = Options.Sampler.Sample(new ParameterSamplingContext(name, distribution, history, Objectives, generator, Constraints));
                if (!distribution.Contains(value))
                {
                    throw new InvalidOperationException(
                        string.Create(CultureInfo.InvariantCulture, $"The {Options.Sampler.Name} sampler chose {value:R} for parameter '{name}' of trial {number}, which is not in {distribution}."));
                }
            }

            Store.SetTrialParameter(Name, number, name, value, distribution);
            return value;
        }
    }

    internal bool ShouldPrune(int number)
    {
        if (Pruner is null)
        {
            return false;
        }

        var history = Store.GetTrials(Name);
        return Pruner.ShouldPrune(history[number], history, Objectives);
    }

    private static long MixSeed(long seed, int number)
    {
        // SplitMix64 finalizer of (seed, number): nearby seeds and numbers give unrelated streams.
        var z = unchecked((ulong)seed + (0x9E3779B97F4A7C15UL * (ulong)(number + 1)));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((long)(z ^ (z >> 31)));
    }

    /// <summary>FNV-1a (64-bit) of the name's UTF-8 bytes: a hash that is the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static long StableHash(string name)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
        {
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        }

        return unchecked((long)hash);
    }

    /// <summary>Counts the trials that use budget: all but those failed by an expired lease (their architectures are asked again).</summary>
    private static int Budgeted(IReadOnlyList<FrozenTrial> history) => history.Count(t => !t.IsLeaseExpired);

    /// <summary>Finds the oldest trial whose worker died and whose architecture has not been asked again since.</summary>
    private static FrozenTrial? Requeued(IReadOnlyList<FrozenTrial> history)
    {
        foreach (var t in history)
        {
            if (t.IsLeaseExpired && !history.Any(o => o.Number > t.Number && !o.IsLeaseExpired && string.Equals(o.CanonicalHash, t.CanonicalHash, StringComparison.Ordinal)))
            {
                return t;
            }
        }

        return null;
    }

    private static IEnumerable<FrozenTrial> Completed(IEnumerable<FrozenTrial> trials) => trials.Where(t => t.State == TrialState.Complete);

    private async Task<FrozenTrial> RunOne(Trial trial, Func<Trial, CancellationToken, ValueTask<IReadOnlyDictionary<string, double>>> objective, CancellationToken cancellationToken)
    {
        using var heartbeat = new Timer(
            _ =>
            {
                try
                {
                    Store.Heartbeat(Name, trial.Number);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A missed heartbeat is harmless (the lease is several intervals); the next one retries.
                }
            },
            null,
            Options.HeartbeatInterval,
            Options.HeartbeatInterval);
        try
        {
            var metrics = await objective(trial, cancellationToken).ConfigureAwait(false);
            return Tell(trial, metrics);
        }
        catch (TrialPrunedException)
        {
            return Tell(trial, TrialState.Pruned);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Tell(trial, TrialState.Failed, "cancelled");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.TrialFailed(e, trial.Number);
            return Tell(trial, TrialState.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Single-objective fitness, higher is better; infeasible trials rank below every feasible one, by total violation.</summary>
    private double Fitness(FrozenTrial trial)
    {
        var violation = Violation(trial);
        return violation > 0 ? -1e100 * (1 + violation) : -Objectives[0].ToMinimization(trial.GetMetric(Objectives[0].Name));
    }

    private double Violation(FrozenTrial trial) => Constraints.Count == 0 ? 0 : Math.Max(0, Constraint.TotalViolation(Constraints, trial.Metrics));
}
