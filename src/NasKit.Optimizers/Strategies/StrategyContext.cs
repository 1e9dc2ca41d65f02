using NasKit.Objectives;
using NasKit.SearchSpace;
using NasKit.Tensors;

namespace NasKit.Optimizers.Strategies;

/// <summary>What a strategy may use to propose an architecture: the space, the study's history, a fitness and a random source.</summary>
public sealed class StrategyContext
{
    private readonly Dictionary<int, Architecture> _parsed = [];
    private HashSet<string>? _seen;

    /// <summary>Initializes a new instance of the <see cref="StrategyContext"/> class.</summary>
    /// <param name="space">The search space.</param>
    /// <param name="history">Every trial of the study so far (running ones included), by number.</param>
    /// <param name="generator">The random source; the study seeds it from its seed and the trial number.</param>
    /// <param name="fitness">Scores a completed trial, higher is better, or null when the study has no single scalar objective.</param>
    /// <param name="objectives">The study's objectives (multi-objective strategies rank by them); null for none.</param>
    /// <param name="constraints">The study's constraints; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="space"/>, <paramref name="history"/> or <paramref name="generator"/> is null.</exception>
    public StrategyContext(ISearchSpace space, IReadOnlyList<FrozenTrial> history, Generator generator, Func<FrozenTrial, double>? fitness,
        IReadOnlyList<Objective>? objectives = null, IReadOnlyList<Constraint>? constraints = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(generator);
        Space = space;
        History = history;
        Generator = generator;
        Fitness = fitness;
        Objectives = objectives ?? [];
        Constraints = constraints ?? [];
    }

    /// <summary>Gets the study's objectives (empty when the caller gave none).</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>Gets the study's constraints (empty for none).</summary>
    public IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>Gets the search space.</summary>
    public ISearchSpace Space { get; }

    /// <summary>Gets every trial so far, by number.</summary>
    public IReadOnlyList<FrozenTrial> History { get; }

    /// <summary>Gets the random source.</summary>
    public Generator Generator { get; }

    /// <summary>Gets the fitness of completed trials (higher is better), or null for multi-objective studies.</summary>
    public Func<FrozenTrial, double>? Fitness { get; }

    /// <summary>Gets the completed trials, by number.</summary>
    public IEnumerable<FrozenTrial> Completed => History.Where(t => t.State == TrialState.Complete);

    /// <summary>Gets the architecture of a trial of the history (parsed once).</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The architecture.</returns>
    public Architecture ArchitectureOf(FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!_parsed.TryGetValue(trial.Number, out var a))
        {
            a = Space.Parse(trial.Architecture);
            _parsed[trial.Number] = a;
        }

        return a;
    }

    /// <summary>Gets whether an architecture (by canonical form) is already in the history, in any state except a failure by expired lease (those are requeued).</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>Whether it was asked for before.</returns>
    public bool HasSeen(Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        _seen ??= History.Where(t => !t.IsLeaseExpired).Select(t => t.CanonicalHash).ToHashSet(StringComparer.Ordinal);
        return _seen.Contains(architecture.CanonicalHash());
    }

    /// <summary>Gets the fitness function, or throws when the study has none.</summary>
    /// <param name="strategy">The strategy asking, for the message.</param>
    /// <returns>The fitness function.</returns>
    /// <exception cref="InvalidOperationException">The study has no single scalar objective.</exception>
    public Func<FrozenTrial, double> RequireFitness(string strategy) =>
        Fitness ?? throw new InvalidOperationException($"The {strategy} strategy needs a single objective to rank trials; this study has none (use a multi-objective strategy such as nsga2).");
}
