using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>
/// Regularized (aging) evolution (Real et al., AAAI 2019; ALGORITHMS.md §14.3): the first <see cref="PopulationSize"/> proposals are
/// random; afterwards the population is the <see cref="PopulationSize"/> most recently completed trials, <see cref="SampleSize"/>
/// of them are drawn uniformly with replacement, and the fittest one's mutation is proposed. The oldest member leaves the population
/// as each new one completes (age, not fitness, decides).
/// </summary>
public sealed class RegularizedEvolution : ISearchStrategy
{
    /// <summary>Initializes a new instance of the <see cref="RegularizedEvolution"/> class.</summary>
    /// <param name="populationSize">The population size P (NAS-Bench-201's setting: 10).</param>
    /// <param name="sampleSize">The tournament size S (NAS-Bench-201's setting: 3).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or <paramref name="sampleSize"/> exceeds <paramref name="populationSize"/>.</exception>
    public RegularizedEvolution(int populationSize = 10, int sampleSize = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleSize, populationSize);
        PopulationSize = populationSize;
        SampleSize = sampleSize;
    }

    /// <inheritdoc/>
    public string Name => "rea";

    /// <summary>Gets the population size P.</summary>
    public int PopulationSize { get; }

    /// <summary>Gets the tournament size S.</summary>
    public int SampleSize { get; }

    /// <inheritdoc/>
    public Architecture Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var completed = context.Completed.OrderBy(t => t.FinishedAt).ThenBy(t => t.Number).ToList();
        if (context.History.Count < PopulationSize || completed.Count == 0)
        {
            return context.Space.Sample(context.Generator);
        }

        var fitness = context.RequireFitness(Name);
        var population = completed.Skip(Math.Max(0, completed.Count - PopulationSize)).ToList();
        FrozenTrial? parent = null;
        for (var i = 0; i < SampleSize; i++)
        {
            var candidate = population[context.Generator.NextInt(population.Count)];
            if (parent is null || fitness(candidate) > fitness(parent))
            {
                parent = candidate;
            }
        }

        return context.Space.Mutate(context.ArchitectureOf(parent!), context.Generator);
    }
}
