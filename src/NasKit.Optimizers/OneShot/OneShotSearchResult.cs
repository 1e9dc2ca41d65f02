using NasKit.SearchSpace.Nb201;
using NasKit.Supernet.Nb201;

namespace NasKit.Optimizers.OneShot;

/// <summary>The outcome of a <see cref="OneShotSearch"/>: the found cell, the trained supernet (for subnet extraction with inherited
/// weights) and the per-epoch history. Dispose it to release the supernet.</summary>
public sealed class OneShotSearchResult : IDisposable
{
    internal OneShotSearchResult(OneShotMethod method, Nb201Cell cell, Nb201Supernet supernet, IReadOnlyList<OneShotEpochReport> history, double searchSeconds, float[] alpha)
    {
        Method = method;
        Cell = cell;
        Supernet = supernet;
        History = history;
        SearchSeconds = searchSeconds;
        Alpha = Array.AsReadOnly(alpha);
    }

    /// <summary>Gets the method that searched.</summary>
    public OneShotMethod Method { get; }

    /// <summary>Gets the found cell: the per-edge argmax of α, or for SPOS the best subnet of the evolutionary search.</summary>
    public Nb201Cell Cell { get; }

    /// <summary>Gets the trained supernet (owned by this result).</summary>
    public Nb201Supernet Supernet { get; }

    /// <summary>Gets one report per epoch.</summary>
    public IReadOnlyList<OneShotEpochReport> History { get; }

    /// <summary>Gets the search time in seconds (supernet training, architecture steps and, for SPOS, the evolution), over every run of a
    /// resumed search.</summary>
    public double SearchSeconds { get; }

    /// <summary>Gets the final architecture logits α, row-major [6, 5] (edge, operation).</summary>
    public IReadOnlyList<float> Alpha { get; }

    /// <summary>
    /// Gets whether the found cell has collapsed — the failure DARTS is known for on NAS-Bench-201: every edge that can influence
    /// the output is <c>none</c> or <c>skip_connect</c> (dead edges, <see cref="Nb201Cell.DeadEdges"/>, set aside), so the cell
    /// computes the identity, a sum of identities or zero. A convolution on an edge whose result never reaches the output does not
    /// save a cell: <c>|none~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|none~2|</c> outputs zero and has collapsed.
    /// </summary>
    public bool IsCollapsed => IsCollapsedCell(Cell);

    internal static bool IsCollapsedCell(Nb201Cell cell)
    {
        var dead = cell.DeadEdges;
        return cell.Operations.Where((_, edge) => !dead.Contains(edge)).All(o => o is Nb201Operation.None or Nb201Operation.SkipConnect);
    }

    /// <summary>Releases the supernet.</summary>
    public void Dispose() => Supernet.Dispose();
}
