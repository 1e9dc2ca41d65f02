using NasKit.SearchSpace.Nb201;
using NasKit.SearchSpace.Operations;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Nb201;

/// <summary>
/// Represents one searched cell of the NAS-Bench-201 supernet: the four-node cell DAG in which each of the six edges is a
/// <see cref="MixedOperation"/> over the five operations (in <see cref="Nb201Operation"/> order).
/// </summary>
/// <remarks>
/// The convolutions' batch norms have no affine parameters (DARTS convention). Edge modules are registered under
/// <c>edges.&lt;to&gt;&lt;-&lt;from&gt;</c>, for example <c>edges.2&lt;-1.ops.3.conv.weight</c>.
/// </remarks>
public sealed class Nb201SearchCell : Module
{
    private readonly MixedOperation[] _edges;

    /// <summary>Initializes a new instance of the <see cref="Nb201SearchCell"/> class.</summary>
    /// <param name="channels">The channel count of the input and every node.</param>
    /// <param name="trackRunningStats">Whether the batch norms keep running statistics.</param>
    /// <param name="generator">The random source for the convolutions' weights; null uses a generator seeded with 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not positive.</exception>
    public Nb201SearchCell(int channels, bool trackRunningStats = false, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        generator ??= new Generator(0);
        Channels = channels;
        var edges = RegisterModule("edges", new ModuleDict<MixedOperation>());
        _edges = new MixedOperation[Nb201Cell.EdgeCount];
        bool[] zero = [true, false, false, false, false];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            Module<Tensor, Tensor>[] ops =
            [
                new Zero(),
                new Identity(),
                new ReluConvBn(channels, channels, kernelSize: 1, stride: 1, padding: 0, affine: false, trackRunningStats: trackRunningStats, generator: generator),
                new ReluConvBn(channels, channels, kernelSize: 3, stride: 1, padding: 1, affine: false, trackRunningStats: trackRunningStats, generator: generator),
                new AvgPool2d(3, stride: 1, padding: 1, countIncludePad: false),
            ];
            _edges[e] = new MixedOperation(ops, zero);
            edges.Add(Nb201Cell.GetEdgeName(e), _edges[e]);
        }
    }

    /// <summary>Gets the channel count of the input, every node and the output.</summary>
    public int Channels { get; }

    /// <summary>Gets the mixed operation of an edge.</summary>
    /// <param name="edgeIndex">The <c>edge2index</c> position, 0..5.</param>
    /// <returns>The mixed operation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..5.</exception>
    public MixedOperation GetEdge(int edgeIndex)
    {
        _ = Nb201Cell.GetEdge(edgeIndex);
        return _edges[edgeIndex];
    }

    /// <summary>Computes the cell's output node from its input and the operation weights of its six edges.</summary>
    /// <param name="input">The cell input, [batch, Channels, H, W].</param>
    /// <param name="edgeWeights">The weights of the six edges in <c>edge2index</c> order, five weights each.</param>
    /// <returns>Node 3.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are not six edge weights.</exception>
    public Tensor Forward(Tensor input, IReadOnlyList<MixingWeights> edgeWeights)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(edgeWeights);
        if (edgeWeights.Count != Nb201Cell.EdgeCount)
        {
            throw new ArgumentException($"A NAS-Bench-201 cell needs {Nb201Cell.EdgeCount} edge weights, but got {edgeWeights.Count}.", nameof(edgeWeights));
        }

        return Nb201CellGraph.Evaluate(input, (edge, source) => _edges[edge].Forward(source, edgeWeights[edge]));
    }
}
