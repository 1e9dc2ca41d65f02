using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>Random search: every proposal is drawn uniformly from the space (the baseline every other strategy must beat).</summary>
public sealed class RandomSearch : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    public Architecture Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Space.Sample(context.Generator);
    }
}
