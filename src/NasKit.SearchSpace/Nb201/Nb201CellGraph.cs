using NasKit.Tensors;

namespace NasKit.SearchSpace.Nb201;

/// <summary>Evaluates the NAS-Bench-201 cell DAG: node j is the sum over i &lt; j of edge(i → j) applied to node i; the output is node 3.</summary>
/// <remarks>
/// Shared by every module that computes a NAS-Bench-201 cell (the fixed-architecture <see cref="Nb201InferCell"/>, the weight-sharing
/// search cell of NasKit.Supernet) so that the wiring, the summation order and the release of intermediate nodes are the same
/// everywhere. Intermediate sums and nodes 1–2 are disposed as soon as they are no longer needed; the input is not disposed.
/// </remarks>
public static class Nb201CellGraph
{
    /// <summary>Computes the cell's output.</summary>
    /// <param name="input">Node 0, the cell input.</param>
    /// <param name="edge">Computes the edge with the given <c>edge2index</c> index from its source node's value.</param>
    /// <returns>Node 3.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> or <paramref name="edge"/> is null.</exception>
    public static Tensor Evaluate(Tensor input, Func<int, Tensor, Tensor> edge)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(edge);
        var nodes = new Tensor[Nb201Cell.NodeCount];
        nodes[0] = input;
        for (var to = 1; to < Nb201Cell.NodeCount; to++)
        {
            Tensor? sum = null;
            for (var from = 0; from < to; from++)
            {
                var term = edge(Nb201Cell.GetEdgeIndex(to, from), nodes[from]);
                if (sum is null)
                {
                    sum = term;
                }
                else
                {
                    var next = sum.Add(term);
                    sum.Dispose();
                    term.Dispose();
                    sum = next;
                }
            }

            nodes[to] = sum!;
        }

        for (var j = 1; j < Nb201Cell.NodeCount - 1; j++)
        {
            nodes[j].Dispose();
        }

        return nodes[Nb201Cell.NodeCount - 1];
    }
}
