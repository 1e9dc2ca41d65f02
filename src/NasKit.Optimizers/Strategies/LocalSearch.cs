using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>
/// Local search (hill climbing with restarts, as NASLib's baseline): propose an unevaluated neighbour of the best completed
/// architecture, in random order; when every neighbour of the best has been tried without improvement (a local optimum), restart
/// from a random architecture.
/// </summary>
public sealed class LocalSearch : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "ls";

    /// <inheritdoc/>
    public Architecture Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var completed = context.Completed.ToList();
        if (completed.Count == 0)
        {
            return context.Space.Sample(context.Generator);
        }

        var fitness = context.RequireFitness(Name);
        var best = completed.MaxBy(fitness)!;
        var fresh = context.Space.Neighbors(context.ArchitectureOf(best)).Where(n => !context.HasSeen(n)).ToList();
        return fresh.Count > 0 ? fresh[context.Generator.NextInt(fresh.Count)] : context.Space.Sample(context.Generator);
    }
}
