using NasKit.Optimizers.Internal;
using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>
/// NSGA-II (Deb et al., IEEE TEVC 2002; ALGORITHMS.md §14.4) as a steady-state, ask/tell strategy: binary tournaments on
/// (non-domination rank, crowding distance), crossover and mutation through the space's own operators, and constraint-domination when
/// the study has constraints.
/// </summary>
/// <remarks>
/// <para><b>Population.</b> The first <see cref="PopulationSize"/> proposals of a study are uniform samples (the random first
/// generation). After that, every proposal rebuilds the parent population from the history as NSGA-II's survival applied to <em>all</em>
/// completed trials: fast non-dominated sort (<see cref="Objectives.Pareto.NonDominatedSorting"/>), whole fronts best first while they fit,
/// the last front cut by descending crowding distance (<see cref="Objectives.Pareto.CrowdingDistance"/>). NasKit does not cut the history
/// into generations of consecutive trial numbers: with elitist survival the archive of every completed trial holds the same parents the
/// generational scheme would (up to crowding ties), and the steady-state form needs no barrier between generations, so asynchronous
/// workers, failed or pruned trials and resumed studies need no special case.</para>
/// <para><b>Offspring.</b> Two binary tournaments (two distinct members drawn uniformly; lower rank wins, then larger crowding
/// distance, then a fair coin) pick the parents; with probability <see cref="CrossoverProbability"/> the child is
/// <see cref="ISearchSpace.Crossover"/> of the two (uniform crossover), otherwise a copy of the first; with probability
/// <see cref="MutationProbability"/> it is then passed through <see cref="ISearchSpace.Mutate"/> (one decision variable changed, the
/// expected effect of Deb's per-variable rate 1/n_var). A child already in the study is discarded and another bred, up to
/// <see cref="MaxBreedingAttempts"/> times (pymoo's <c>eliminate_duplicates</c>); after that a uniform sample is proposed.</para>
/// <para><b>Objectives.</b> The study's objectives with their directions (any number, one included); when the context has none, its
/// scalar fitness as a single maximised objective. With constraints, dominance is Deb's constraint-domination: feasible before
/// infeasible, infeasible by total violation.</para>
/// </remarks>
public sealed class Nsga2 : ISearchStrategy
{
    /// <summary>The default population size: 40, CNAS's NSGA-II setting for integer-encoded NAS spaces (pymoo's generic default, 100, suits
    /// continuous problems with far larger budgets).</summary>
    public const int DefaultPopulationSize = 40;

    /// <summary>The default crossover probability per mating: 0.9 (Deb; pymoo SBX).</summary>
    public const double DefaultCrossoverProbability = 0.9;

    /// <summary>The default mutation probability per offspring: 0.9 (pymoo's per-individual probability of polynomial mutation).</summary>
    public const double DefaultMutationProbability = 0.9;

    /// <summary>How many children are bred, at most, for one proposal before falling back to a uniform sample.</summary>
    public const int MaxBreedingAttempts = 32;

    /// <summary>Initializes a new instance of the <see cref="Nsga2"/> class.</summary>
    /// <param name="populationSize">The population size N (at least 2).</param>
    /// <param name="crossoverProbability">The probability that a child is the crossover of its parents rather than a copy of the first.</param>
    /// <param name="mutationProbability">The probability that a child is mutated.</param>
    /// <exception cref="ArgumentOutOfRangeException">The population size is below 2, or a probability lies outside [0, 1].</exception>
    public Nsga2(int populationSize = DefaultPopulationSize, double crossoverProbability = DefaultCrossoverProbability, double mutationProbability = DefaultMutationProbability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 2);
        CheckProbability(crossoverProbability, nameof(crossoverProbability));
        CheckProbability(mutationProbability, nameof(mutationProbability));
        PopulationSize = populationSize;
        CrossoverProbability = crossoverProbability;
        MutationProbability = mutationProbability;
    }

    /// <inheritdoc/>
    public string Name => "nsga2";

    /// <summary>Gets the population size N.</summary>
    /// <value>The default value is <see cref="DefaultPopulationSize"/> (40).</value>
    public int PopulationSize { get; }

    /// <summary>Gets the probability that a child is the crossover of its two parents.</summary>
    /// <value>The default value is <see cref="DefaultCrossoverProbability"/> (0.9).</value>
    public double CrossoverProbability { get; }

    /// <summary>Gets the probability that a child is mutated.</summary>
    /// <value>The default value is <see cref="DefaultMutationProbability"/> (0.9).</value>
    public double MutationProbability { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The context has neither objectives nor a fitness to rank trials by.</exception>
    public Architecture Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var completed = context.Completed.ToList();
        if (context.History.Count(t => !t.IsLeaseExpired) < PopulationSize || completed.Count < 2)
        {
            return context.Space.Sample(context.Generator);
        }

        var population = SelectPopulation(context, completed);
        var generator = context.Generator;
        for (var attempt = 0; attempt < MaxBreedingAttempts; attempt++)
        {
            var first = Tournament(population, generator);
            var second = Tournament(population, generator);
            var child = context.ArchitectureOf(completed[first.Index]);
            if (generator.NextDouble() < CrossoverProbability)
            {
                child = context.Space.Crossover(child, context.ArchitectureOf(completed[second.Index]), generator);
            }

            if (generator.NextDouble() < MutationProbability)
            {
                child = context.Space.Mutate(child, generator);
            }

            if (!context.HasSeen(child))
            {
                return child;
            }
        }

        return context.Space.Sample(context.Generator);
    }

    /// <summary>Rebuilds the parent population: NSGA-II survival of the <see cref="PopulationSize"/> best of the completed trials.</summary>
    /// <param name="context">The context.</param>
    /// <param name="completed">The completed trials of its history.</param>
    /// <returns>The members as indices into <paramref name="completed"/>, with rank and crowding distance.</returns>
    internal RankAndCrowding.Survivor[] SelectPopulation(StrategyContext context, IReadOnlyList<FrozenTrial> completed) =>
        RankAndCrowding.Select(ObjectiveTable.From(context, completed, Name), PopulationSize);

    private static RankAndCrowding.Survivor Tournament(RankAndCrowding.Survivor[] population, Tensors.Generator generator)
    {
        if (population.Length == 1)
        {
            return population[0];
        }

        var i = generator.NextInt(population.Length);
        var j = generator.NextInt(population.Length - 1);
        j += j >= i ? 1 : 0;
        var (a, b) = (population[i], population[j]);
        var comparison = RankAndCrowding.CrowdedCompare(a, b);
        return comparison > 0 ? a : comparison < 0 ? b : generator.NextInt(2) == 0 ? a : b;
    }

    private static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(name, p, $"'0 <= {name} <= 1' must hold, but got {name}={p}.");
        }
    }
}
