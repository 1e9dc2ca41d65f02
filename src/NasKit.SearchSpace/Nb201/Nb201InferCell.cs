using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Nb201;

/// <summary>
/// Represents one searched cell of a NAS-Bench-201 network (the benchmark's <c>InferCell</c>): node j = Σ_{i&lt;j} op_{i→j}(node i),
/// output node 3, with the channel count and resolution of its input.
/// </summary>
/// <remarks>
/// All six edges are evaluated, dead ones included (<c>none</c> runs as x·0), because the benchmark's cost figures count every
/// layer that executes. The edge modules are registered under <c>edges.&lt;to&gt;&lt;-&lt;from&gt;</c>, for example
/// <c>edges.2&lt;-1.conv.weight</c>.
/// </remarks>
public sealed class Nb201InferCell : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor>[] _edges;

    /// <summary>Initializes a new instance of the <see cref="Nb201InferCell"/> class.</summary>
    /// <param name="cell">The cell's operations.</param>
    /// <param name="channels">The channel count of the input and every node.</param>
    /// <param name="generator">The random source for the convolutions' weights; null uses a generator seeded with 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not positive.</exception>
    public Nb201InferCell(Nb201Cell cell, int channels, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        generator ??= new Generator(0);
        Cell = cell;
        Channels = channels;
        var edges = RegisterModule("edges", new ModuleDict<Module<Tensor, Tensor>>());
        _edges = new Module<Tensor, Tensor>[Nb201Cell.EdgeCount];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            _edges[e] = CreateOperation(cell.Operations[e], channels, generator);
            edges.Add(Nb201Cell.GetEdgeName(e), _edges[e]);
        }
    }

    /// <summary>Gets the cell's operations.</summary>
    public Nb201Cell Cell { get; }

    /// <summary>Gets the channel count of the input, every node and the output.</summary>
    public int Channels { get; }

    /// <summary>Gets the module of an edge.</summary>
    /// <param name="edgeIndex">The <c>edge2index</c> position, 0..5.</param>
    /// <returns>The module.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..5.</exception>
    public Module<Tensor, Tensor> GetEdgeModule(int edgeIndex)
    {
        _ = Nb201Cell.GetEdge(edgeIndex);
        return _edges[edgeIndex];
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => Cell.ToString();

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Nb201CellGraph.Evaluate(input, (edge, source) => _edges[edge].Call(source));
    }

    private static Module<Tensor, Tensor> CreateOperation(Nb201Operation operation, int channels, Generator? generator) => operation switch
    {
        Nb201Operation.None => new Zero(),
        Nb201Operation.SkipConnect => new Identity(),
        Nb201Operation.NorConv1x1 => new ReluConvBn(channels, channels, kernelSize: 1, stride: 1, padding: 0, generator: generator),
        Nb201Operation.NorConv3x3 => new ReluConvBn(channels, channels, kernelSize: 3, stride: 1, padding: 1, generator: generator),
        Nb201Operation.AvgPool3x3 => new AvgPool2d(3, stride: 1, padding: 1, countIncludePad: false),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), (int)operation, $"Unknown NAS-Bench-201 operation {(int)operation}."),
    };
}
