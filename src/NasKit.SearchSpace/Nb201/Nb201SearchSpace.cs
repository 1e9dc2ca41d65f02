using System.Numerics;
using NasKit.SearchSpace.Nb201.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Nb201;

/// <summary>
/// Represents the NAS-Bench-201 cell search space: 5⁶ = 15,625 cells, each with one of five operations on each of six edges, built
/// into the benchmark's TinyNetwork (<see cref="Nb201Network"/>).
/// </summary>
/// <remarks>
/// <para>Decision variables are the six edge operations in <c>edge2index</c> order. Neighbours differ in one edge (24 per cell);
/// crossover takes each edge from either parent with probability ½; enumeration walks the cells in <see cref="Nb201Cell.Index"/>
/// order (the operation indices read as a base-5 number, edge 1&lt;-0 most significant).</para>
/// <para>Encodings:</para>
/// <list type="bullet">
/// <item><description><see cref="ArchitectureEncoding.Integer"/> (6): the op index (0 none, 1 skip_connect, 2 nor_conv_1x1, 3 nor_conv_3x3,
/// 4 avg_pool_3x3) of each edge in <c>edge2index</c> order.</description></item>
/// <item><description><see cref="ArchitectureEncoding.OneHot"/> (30): element 5e + op is 1 for edge e's op.</description></item>
/// <item><description><see cref="ArchitectureEncoding.Adjacency"/> (94): the op-on-node DAG with 8 nodes, 0 = cell input, 1..6 = the six
/// edges' operations (node e + 1 for edge e), 7 = cell output. Element 8r + c (r, c in 0..7) of the first 64 is 1 when node r feeds node c:
/// the input feeds the ops of the edges leaving node 0; the op of edge j&lt;-i feeds the ops of the edges leaving node j, or the output when
/// j = 3. The matrix is strictly upper-triangular and the same for every cell (the graph is fixed; <c>none</c> is an op label). The last 30
/// elements are the one-hot ops of nodes 1..6, as in <see cref="ArchitectureEncoding.OneHot"/>.</description></item>
/// <item><description><see cref="ArchitectureEncoding.Path"/> (84): for every sequence of non-<c>none</c> operations of length 1..3 over the
/// alphabet (skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3) = (0, 1, 2, 3), the number of input-to-output paths of the cell whose
/// edges carry that sequence, read from the input side (skip_connect counts as an operation of the sequence; a path through a <c>none</c>
/// edge counts nowhere). The cell has four paths: 3&lt;-0; 1&lt;-0, 3&lt;-1; 2&lt;-0, 3&lt;-2; 1&lt;-0, 2&lt;-1, 3&lt;-2. Length-1 sequences use
/// elements 0..3 (index a), length 2 elements 4..19 (4 + 4a + b), length 3 elements 20..83 (20 + 16a + 4b + c). Counts can reach 2
/// (the two length-2 paths).</description></item>
/// </list>
/// </remarks>
public sealed class Nb201SearchSpace : SearchSpace<Nb201Cell>
{
    private static readonly ArchitectureEncoding[] s_encodings =
        [ArchitectureEncoding.Integer, ArchitectureEncoding.OneHot, ArchitectureEncoding.Adjacency, ArchitectureEncoding.Path];

    /// <summary>Initializes a new instance of the <see cref="Nb201SearchSpace"/> class.</summary>
    /// <param name="options">The network skeleton; null uses <see cref="Nb201NetworkOptions.Cifar10"/> (C = 16, N = 5, 3×32×32, 10 classes).</param>
    public Nb201SearchSpace(Nb201NetworkOptions? options = null) => Options = options ?? Nb201NetworkOptions.Cifar10;

    /// <summary>Gets the network skeleton that <see cref="SearchSpace{TArchitecture}.Build"/> uses.</summary>
    public Nb201NetworkOptions Options { get; }

    /// <inheritdoc/>
    public override string Name => Nb201Cell.Space;

    /// <inheritdoc/>
    public override BigInteger? Size => Nb201Cell.TotalCount;

    /// <inheritdoc/>
    public override IReadOnlyList<ArchitectureEncoding> SupportedEncodings { get; } = Array.AsReadOnly(s_encodings);

    /// <summary>Enumerates all 15,625 cells in <see cref="Nb201Cell.Index"/> order.</summary>
    /// <returns>The cells, lazily.</returns>
    public override IEnumerable<Nb201Cell> Enumerate()
    {
        for (var i = 0; i < Nb201Cell.TotalCount; i++)
        {
            yield return Nb201Cell.FromIndex(i);
        }
    }

    /// <inheritdoc/>
    protected override Nb201Cell SampleCore(Generator generator)
    {
        Span<Nb201Operation> ops = stackalloc Nb201Operation[Nb201Cell.EdgeCount];
        for (var e = 0; e < ops.Length; e++)
        {
            ops[e] = (Nb201Operation)generator.NextInt(Nb201Operations.Count);
        }

        return new Nb201Cell(ops);
    }

    /// <inheritdoc/>
    protected override IEnumerable<Nb201Cell> NeighborsCore(Nb201Cell architecture)
    {
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            for (var op = 0; op < Nb201Operations.Count; op++)
            {
                if ((Nb201Operation)op != architecture.Operations[e])
                {
                    yield return architecture.WithOperation(e, (Nb201Operation)op);
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override Nb201Cell CrossoverCore(Nb201Cell first, Nb201Cell second, Generator generator)
    {
        Span<Nb201Operation> ops = stackalloc Nb201Operation[Nb201Cell.EdgeCount];
        for (var e = 0; e < ops.Length; e++)
        {
            ops[e] = generator.NextInt(2) == 0 ? first.Operations[e] : second.Operations[e];
        }

        return new Nb201Cell(ops);
    }

    /// <inheritdoc/>
    protected override Nb201Cell ParseCore(string text) => Nb201Parser.Parse(text);

    /// <inheritdoc/>
    protected override IReadOnlyList<ArchitectureValidationError> ValidateCore(Nb201Cell architecture)
    {
        // The constructor already rejects anything outside the space; this re-check keeps Validate honest if that ever changes.
        var errors = new List<ArchitectureValidationError>();
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var op = architecture.Operations[e];
            if (!Nb201Operations.IsDefined(op))
            {
                errors.Add(new ArchitectureValidationError("edge " + Nb201Cell.GetEdgeName(e), $"the operation must be one of 0..{Nb201Operations.Count - 1}, but got {(int)op}."));
            }
        }

        return errors;
    }

    /// <inheritdoc/>
    protected override int GetEncodingLengthCore(ArchitectureEncoding encoding) => encoding switch
    {
        ArchitectureEncoding.Integer => Nb201Encoder.IntegerLength,
        ArchitectureEncoding.OneHot => Nb201Encoder.OneHotLength,
        ArchitectureEncoding.Adjacency => Nb201Encoder.AdjacencyLength,
        ArchitectureEncoding.Path => Nb201Encoder.PathLength,
        _ => throw new NotSupportedException($"The {Name} search space does not support the {encoding} encoding."),
    };

    /// <inheritdoc/>
    protected override float[] EncodeCore(Nb201Cell architecture, ArchitectureEncoding encoding) => encoding switch
    {
        ArchitectureEncoding.Integer => Nb201Encoder.Integer(architecture),
        ArchitectureEncoding.OneHot => Nb201Encoder.OneHot(architecture),
        ArchitectureEncoding.Adjacency => Nb201Encoder.Adjacency(architecture),
        ArchitectureEncoding.Path => Nb201Encoder.Path(architecture),
        _ => throw new NotSupportedException($"The {Name} search space does not support the {encoding} encoding."),
    };

    /// <inheritdoc/>
    protected override int[] GetInputShapeCore(Nb201Cell architecture) => [Options.InputChannels, Options.InputSize, Options.InputSize];

    /// <inheritdoc/>
    protected override Module<Tensor, Tensor> BuildCore(Nb201Cell architecture, Generator generator) => new Nb201Network(architecture, Options, generator);
}
