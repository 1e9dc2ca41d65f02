using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>
/// Proposes the next architecture to evaluate as a function of the space, the study's history and a seeded generator — nothing
/// else — so that a study resumes from its store and several workers can share one.
/// </summary>
/// <remarks>Same space, same history and a generator in the same state give the same proposal (the strategy conformance tests check
/// it). A strategy keeps no state between calls; whatever it needs (a population, the current local optimum) it rebuilds from the
/// history.</remarks>
public interface ISearchStrategy
{
    /// <summary>Gets the strategy's short name (for example <c>rea</c>), as the CLI and the study's attributes write it.</summary>
    string Name { get; }

    /// <summary>Proposes an architecture.</summary>
    /// <param name="context">The space, history, fitness and random source.</param>
    /// <returns>An architecture of the space.</returns>
    Architecture Propose(StrategyContext context);
}
