using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>Grid search over a finite space: proposes the architectures in the space's enumeration order, skipping those already in the history.</summary>
/// <remarks>Running several workers on one study gives each the next unseen architecture at the moment it asks.</remarks>
public sealed class GridSearch : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => "grid";

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">The space is not finite.</exception>
    /// <exception cref="InvalidOperationException">Every architecture of the space is already in the history.</exception>
    public Architecture Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Space.Size is null)
        {
            throw new NotSupportedException($"Grid search needs a finite search space; {context.Space.Name} is not.");
        }

        foreach (var a in context.Space.Enumerate())
        {
            if (!context.HasSeen(a))
            {
                return a;
            }
        }

        throw new InvalidOperationException($"Grid search has proposed every architecture of {context.Space.Name} ({context.Space.Size}); the grid is exhausted.");
    }
}
