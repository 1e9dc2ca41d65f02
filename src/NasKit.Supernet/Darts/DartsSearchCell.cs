using System.Globalization;
using NasKit.SearchSpace.Darts;
using NasKit.SearchSpace.Operations;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Darts;

/// <summary>
/// Represents one cell of the DARTS search supernet: its two inputs are preprocessed to C channels, each of the four intermediate
/// nodes sums a <see cref="MixedOperation"/> over the eight DARTS operations applied to every earlier state (14 edges), and the
/// output is the concatenation of the four intermediate nodes (4C channels).
/// </summary>
/// <remarks>
/// <para>Edge order: node i (0..3) reads states 0..i+1 (0 and 1 are the preprocessed cell inputs, 2 + j is node j); its edges are
/// rows <c>2i + i(i−1)/2</c> onwards of the α matrix, so rows 0–1 feed node 0, 2–4 node 1, 5–8 node 2 and 9–13 node 3. In a
/// reduction cell the edges leaving states 0 and 1 have stride 2.</para>
/// <para>Every batch norm of the cell has no affine parameters (DARTS's search network); the pooling operations are followed by
/// such a batch norm, as in DARTS's mixed operation. Child names: <c>preprocess0</c>, <c>preprocess1</c>,
/// <c>edges.&lt;k&gt;.ops.&lt;o&gt;</c> for edge k and <see cref="DartsOperation"/> o.</para>
/// </remarks>
public sealed class DartsSearchCell : Module
{
    /// <summary>The number of edges (mixed operations) of a cell: 2 + 3 + 4 + 5.</summary>
    public const int EdgeCount = 14;

    private readonly Module<Tensor, Tensor> _preprocess0;
    private readonly ReluConvBn _preprocess1;
    private readonly ModuleList<MixedOperation> _edges;

    /// <summary>Initializes a new instance of the <see cref="DartsSearchCell"/> class.</summary>
    /// <param name="channelsPrevPrev">The channels of the output of the cell two back (or the stem).</param>
    /// <param name="channelsPrev">The channels of the previous cell's output (or the stem).</param>
    /// <param name="channels">The channel count C of every node of this cell.</param>
    /// <param name="reduction">Whether this is a reduction cell (edges leaving the inputs have stride 2).</param>
    /// <param name="reductionPrev">Whether the previous cell was a reduction cell (the older input is then reduced by a <see cref="FactorizedReduce"/>).</param>
    /// <param name="generator">The random source for the convolutions' weights; null uses a generator seeded with 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="channels"/> is odd in a reduction cell or after one (a factorized reduction needs an even count).</exception>
    public DartsSearchCell(int channelsPrevPrev, int channelsPrev, int channels, bool reduction, bool reductionPrev, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelsPrevPrev);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelsPrev);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if ((reduction || reductionPrev) && channels % 2 != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A reduction cell, or the cell after one, uses factorized reductions, so 'channels % 2 == 0' must hold, but got channels={channels}."),
                nameof(channels));
        }

        generator ??= new Generator(0);
        Channels = channels;
        Reduction = reduction;
        _preprocess0 = RegisterModule<Module<Tensor, Tensor>>(
            "preprocess0",
            reductionPrev
                ? new FactorizedReduce(channelsPrevPrev, channels, affine: false, generator: generator)
                : new ReluConvBn(channelsPrevPrev, channels, kernelSize: 1, stride: 1, padding: 0, affine: false, generator: generator));
        _preprocess1 = RegisterModule("preprocess1", new ReluConvBn(channelsPrev, channels, kernelSize: 1, stride: 1, padding: 0, affine: false, generator: generator));
        _edges = RegisterModule("edges", new ModuleList<MixedOperation>());
        var zero = DartsOperations.All.Select(o => o == DartsOperation.None).ToArray();
        for (var node = 0; node < DartsGenotype.NodeCount; node++)
        {
            for (var input = 0; input < node + 2; input++)
            {
                var stride = reduction && input < 2 ? 2 : 1;
                var ops = new Module<Tensor, Tensor>[DartsOperations.All.Count];
                for (var o = 0; o < ops.Length; o++)
                {
                    ops[o] = CreateOperation(DartsOperations.All[o], channels, stride, generator);
                }

                _edges.Add(new MixedOperation(ops, zero));
            }
        }
    }

    /// <summary>Gets the channel count C of every node; the cell outputs 4C channels.</summary>
    public int Channels { get; }

    /// <summary>Gets whether this is a reduction cell.</summary>
    public bool Reduction { get; }

    /// <summary>Gets the α row (edge index) of the edge from a state to an intermediate node.</summary>
    /// <param name="node">The intermediate node, 0..3.</param>
    /// <param name="input">The state it reads, 0..node+1 (0 and 1 are the cell inputs, 2 + j is node j).</param>
    /// <returns>The edge index, 0..13.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pair is not an edge.</exception>
    public static int GetEdgeIndex(int node, int input)
    {
        if (node < 0 || node >= DartsGenotype.NodeCount || input < 0 || input > node + 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(input),
                string.Create(CultureInfo.InvariantCulture, $"A DARTS edge needs '0 <= node <= {DartsGenotype.NodeCount - 1}' and '0 <= input <= node + 1', but got node={node}, input={input}."));
        }

        return (2 * node) + (node * (node - 1) / 2) + input;
    }

    /// <summary>Gets the mixed operation of an edge.</summary>
    /// <param name="edgeIndex">The edge index, 0..13 (see <see cref="GetEdgeIndex"/>).</param>
    /// <returns>The mixed operation; its operations are in <see cref="DartsOperation"/> order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..13.</exception>
    public MixedOperation GetEdge(int edgeIndex)
    {
        if ((uint)edgeIndex >= EdgeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(edgeIndex), edgeIndex, string.Create(CultureInfo.InvariantCulture, $"A DARTS cell edge index must be in 0..{EdgeCount - 1}, but got {edgeIndex}."));
        }

        return _edges[edgeIndex];
    }

    /// <summary>Computes the cell's output from its two inputs and the operation weights of its 14 edges.</summary>
    /// <param name="s0">The output of the cell two back (or the stem).</param>
    /// <param name="s1">The output of the previous cell (or the stem).</param>
    /// <param name="edgeWeights">The weights of the 14 edges, eight each, in edge order.</param>
    /// <returns>The concatenation of the four intermediate nodes, [batch, 4C, H', W'].</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are not 14 edge weights.</exception>
    public Tensor Forward(Tensor s0, Tensor s1, IReadOnlyList<MixingWeights> edgeWeights)
    {
        ArgumentNullException.ThrowIfNull(s0);
        ArgumentNullException.ThrowIfNull(s1);
        ArgumentNullException.ThrowIfNull(edgeWeights);
        if (edgeWeights.Count != EdgeCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A DARTS search cell needs {EdgeCount} edge weights, but got {edgeWeights.Count}."), nameof(edgeWeights));
        }

        var states = new List<Tensor>(2 + DartsGenotype.NodeCount);
        try
        {
            states.Add(_preprocess0.Call(s0));
            states.Add(_preprocess1.Call(s1));
            var edge = 0;
            for (var node = 0; node < DartsGenotype.NodeCount; node++)
            {
                Tensor? sum = null;
                for (var input = 0; input < node + 2; input++, edge++)
                {
                    var term = _edges[edge].Forward(states[input], edgeWeights[edge]);
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

                states.Add(sum!);
            }

            return Tensor.Cat(states.GetRange(2, DartsGenotype.NodeCount), 1);
        }
        finally
        {
            foreach (var s in states)
            {
                s.Dispose();
            }
        }
    }

    private static Module<Tensor, Tensor> CreateOperation(DartsOperation operation, int channels, int stride, Generator generator)
    {
        var op = DartsOperations.Create(operation, channels, stride, affine: false, generator);
        return operation is DartsOperation.MaxPool3x3 or DartsOperation.AvgPool3x3
            ? new Sequential(op, new BatchNorm2d(channels, affine: false))
            : op;
    }
}
