using System.Numerics;
using NasKit.SearchSpace.Darts.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Darts;

/// <summary>
/// The DARTS cell search space (Liu, Simonyan, Yang, ICLR 2019): a normal and a reduction cell, each with four intermediate nodes
/// that sum two of seven operations applied to two distinct earlier states; the networks are DARTS's evaluation networks
/// (<see cref="DartsNetwork"/>).
/// </summary>
/// <remarks>
/// <para><b>Decision variables.</b> For each cell (normal, then reduce), node i = 0 … 3 and pair p = 0, 1: the operation (one of the
/// seven non-<c>none</c> operations) and the input (0 … i + 1), the two inputs of a node being distinct. That is 32 variables; the
/// <see cref="ArchitectureEncoding.Integer"/> encoding lists them in this order, operation before input, the operation as its
/// <see cref="DartsOperation"/> value (1 … 7, the <c>PRIMITIVES</c> index) and the input as is.</para>
/// <para><b>Size.</b> <see cref="Size"/> counts distinct genotypes as <see cref="Architecture.Equals(Architecture?)"/> sees them,
/// i.e. with the two pairs of a node unordered (the canonical form sorts them): per node i, C(i + 2, 2) input pairs × 7² operations,
/// the product over the four nodes (1,037,664,180 per cell), squared for the two cells: 1,076,746,950,455,072,400 ≈ 1.08·10¹⁸. Counting the
/// order of the two pairs (distinct text forms) multiplies this by 2⁸ = 256.</para>
/// <para><b>Sampling</b> draws every variable uniformly (the second input of a node uniformly among the inputs the first did not take),
/// which is uniform over text forms and over genotypes. <b>Neighbours</b> change one variable: one operation to another of the seven, or
/// one input to another valid input (not the node's other input): 96 + 24 = 120 neighbours, none equal to another or to the
/// genotype. <b>Crossover</b> takes each variable from either parent; where that would give a node the same input twice, both inputs
/// of the node come from one parent (chosen at random). <see cref="Enumerate"/> walks the genotypes lazily in canonical form.</para>
/// <para><b>Encodings.</b> <see cref="ArchitectureEncoding.Integer"/> (32 values, above); <see cref="ArchitectureEncoding.OneHot"/>:
/// the same variables one-hot, an operation as 7 values (<c>max_pool_3x3</c> … <c>dil_conv_5x5</c>) and the input of node i as i + 2
/// values, 168 values in all; both keep the order of the pairs as written. <see cref="ArchitectureEncoding.Adjacency"/>: for each cell
/// the 14 possible edges of the DARTS supernet (node 0 from states 0, 1; node 1 from 0, 1, 2; …; node 3 from 0 … 4), each one-hot
/// over the eight <c>PRIMITIVES</c> with <c>none</c> marking an absent edge: the cell's labelled adjacency matrix, 224 values, equal
/// for genotypes that differ only in the order of a node's pairs. The path encoding is not supported.</para>
/// </remarks>
public sealed class DartsSearchSpace : SearchSpace<DartsGenotype>
{
    /// <summary>The number of integer decision variables: 2 cells × 4 nodes × 2 pairs × (operation, input).</summary>
    public const int VariableCount = 2 * DartsGenotype.EdgesPerCell * 2;

    private const int OperationChoices = 7;

    /// <summary>The 14 supernet edges of a cell: 2 + 3 + 4 + 5.</summary>
    private const int SupernetEdges = 14;

    private static readonly ArchitectureEncoding[] s_encodings = [ArchitectureEncoding.Integer, ArchitectureEncoding.OneHot, ArchitectureEncoding.Adjacency];

    private static readonly bool[] s_cells = [false, true];

    private readonly DartsNetworkOptions _options;

    /// <summary>Initializes a new instance of the <see cref="DartsSearchSpace"/> class.</summary>
    /// <param name="networkOptions">The hyper-parameters of the networks <see cref="SearchSpace{TArchitecture}.Build"/> returns (copied); null uses the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DartsSearchSpace(DartsNetworkOptions? networkOptions = null)
    {
        _options = (networkOptions ?? new DartsNetworkOptions()).Clone();
        _options.ThrowIfInvalid();
    }

    /// <inheritdoc/>
    public override string Name => DartsGenotype.Name;

    /// <summary>Gets the number of distinct genotypes (the two pairs of a node unordered), about 1.08·10¹⁸; see the remarks on the class.</summary>
    public override BigInteger? Size => CellCount() * CellCount();

    /// <summary>Gets the supported encodings: <see cref="ArchitectureEncoding.Integer"/>, <see cref="ArchitectureEncoding.OneHot"/> and <see cref="ArchitectureEncoding.Adjacency"/>.</summary>
    public override IReadOnlyList<ArchitectureEncoding> SupportedEncodings => s_encodings;

    /// <summary>Gets a copy of the options of the networks the space builds.</summary>
    public DartsNetworkOptions NetworkOptions => _options.Clone();

    /// <summary>
    /// Enumerates every genotype once, lazily, in canonical form (the first pair of each node reads the smaller input), as a
    /// mixed-radix counter over the nodes with the last node of the reduction cell varying fastest; about 10¹⁸ in all, so only
    /// prefixes are practical.
    /// </summary>
    /// <returns>The genotypes, <see cref="Size"/> of them.</returns>
    public override IEnumerable<DartsGenotype> Enumerate()
    {
        var perCell = (long)CellCount();
        for (long normal = 0; normal < perCell; normal++)
        {
            var normalEdges = DecodeCell(normal);
            for (long reduce = 0; reduce < perCell; reduce++)
            {
                yield return new DartsGenotype(normalEdges, DecodeCell(reduce));
            }
        }
    }

    /// <inheritdoc/>
    protected override DartsGenotype SampleCore(Generator generator) => new(SampleCell(generator), SampleCell(generator));

    /// <inheritdoc/>
    protected override IEnumerable<DartsGenotype> NeighborsCore(DartsGenotype architecture)
    {
        foreach (var reduction in s_cells)
        {
            var cell = architecture.GetCell(reduction);
            for (var k = 0; k < DartsGenotype.EdgesPerCell; k++)
            {
                foreach (var op in DartsOperations.Candidates)
                {
                    if (op != cell[k].Operation)
                    {
                        yield return With(architecture, reduction, k, cell[k] with { Operation = op });
                    }
                }

                var other = cell[k ^ 1].Input;
                for (var input = 0; input <= (k / 2) + 1; input++)
                {
                    if (input != cell[k].Input && input != other)
                    {
                        yield return With(architecture, reduction, k, cell[k] with { Input = input });
                    }
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override DartsGenotype CrossoverCore(DartsGenotype first, DartsGenotype second, Generator generator) =>
        new(CrossCell(first.Normal, second.Normal, generator), CrossCell(first.Reduce, second.Reduce, generator));

    /// <inheritdoc/>
    protected override DartsGenotype ParseCore(string text) => DartsGenotypeParser.Parse(text);

    /// <inheritdoc/>
    protected override IReadOnlyList<ArchitectureValidationError> ValidateCore(DartsGenotype architecture) => architecture.Validate();

    /// <inheritdoc/>
    protected override int GetEncodingLengthCore(ArchitectureEncoding encoding) => encoding switch
    {
        ArchitectureEncoding.Integer => VariableCount,
        ArchitectureEncoding.OneHot => 2 * OneHotCellLength(),
        ArchitectureEncoding.Adjacency => 2 * SupernetEdges * DartsOperations.All.Count,
        _ => throw new NotSupportedException($"The darts search space does not support the {encoding} encoding."),
    };

    /// <inheritdoc/>
    protected override float[] EncodeCore(DartsGenotype architecture, ArchitectureEncoding encoding)
    {
        var result = new float[GetEncodingLengthCore(encoding)];
        var offset = 0;
        foreach (var cell in (IReadOnlyList<DartsEdge>[])[architecture.Normal, architecture.Reduce])
        {
            switch (encoding)
            {
                case ArchitectureEncoding.Integer:
                    foreach (var edge in cell)
                    {
                        result[offset++] = (int)edge.Operation;
                        result[offset++] = edge.Input;
                    }

                    break;
                case ArchitectureEncoding.OneHot:
                    for (var k = 0; k < cell.Count; k++)
                    {
                        result[offset + (int)cell[k].Operation - 1] = 1f;
                        offset += OperationChoices;
                        result[offset + cell[k].Input] = 1f;
                        offset += (k / 2) + 2;
                    }

                    break;
                default:
                    // Supernet edge (node i, source j) is at index i(i + 3)/2 + j, each a block of 8 operation slots; absent edges say 'none'.
                    var ops = DartsOperations.All.Count;
                    for (var e = 0; e < SupernetEdges; e++)
                    {
                        result[offset + (e * ops)] = 1f;
                    }

                    for (var k = 0; k < cell.Count; k++)
                    {
                        var node = k / 2;
                        var block = offset + ((((node * (node + 3)) / 2) + cell[k].Input) * ops);
                        result[block] = 0f;
                        result[block + (int)cell[k].Operation] = 1f;
                    }

                    offset += SupernetEdges * ops;
                    break;
            }
        }

        return result;
    }

    /// <inheritdoc/>
    protected override int[] GetInputShapeCore(DartsGenotype architecture) => [_options.InputChannels, _options.InputSize, _options.InputSize];

    /// <inheritdoc/>
    protected override Module<Tensor, Tensor> BuildCore(DartsGenotype architecture, Generator generator) => new DartsNetwork(architecture, _options, generator);

    private static BigInteger CellCount()
    {
        BigInteger count = 1;
        for (var node = 0; node < DartsGenotype.NodeCount; node++)
        {
            var inputs = node + 2;
            count *= inputs * (inputs - 1) / 2 * OperationChoices * OperationChoices;
        }

        return count;
    }

    private static DartsEdge[] DecodeCell(long index)
    {
        var edges = new DartsEdge[DartsGenotype.EdgesPerCell];
        for (var node = DartsGenotype.NodeCount - 1; node >= 0; node--)
        {
            var inputs = node + 2;
            var choices = inputs * (inputs - 1) / 2 * OperationChoices * OperationChoices;
            var r = (int)(index % choices);
            index /= choices;
            var ops = r % (OperationChoices * OperationChoices);
            var pair = r / (OperationChoices * OperationChoices);

            // Unordered input pairs (a < b) in lexicographic order.
            var a = 0;
            while (pair >= inputs - 1 - a)
            {
                pair -= inputs - 1 - a;
                a++;
            }

            edges[2 * node] = new DartsEdge(DartsOperations.Candidates[ops / OperationChoices], a);
            edges[(2 * node) + 1] = new DartsEdge(DartsOperations.Candidates[ops % OperationChoices], a + 1 + pair);
        }

        return edges;
    }

    private static int OneHotCellLength()
    {
        var length = 0;
        for (var node = 0; node < DartsGenotype.NodeCount; node++)
        {
            length += 2 * (OperationChoices + node + 2);
        }

        return length;
    }

    private static DartsEdge[] SampleCell(Generator generator)
    {
        var edges = new DartsEdge[DartsGenotype.EdgesPerCell];
        for (var node = 0; node < DartsGenotype.NodeCount; node++)
        {
            var inputs = node + 2;
            var op1 = DartsOperations.Candidates[generator.NextInt(OperationChoices)];
            var in1 = generator.NextInt(inputs);
            var op2 = DartsOperations.Candidates[generator.NextInt(OperationChoices)];
            var in2 = generator.NextInt(inputs - 1);
            if (in2 >= in1)
            {
                in2++;
            }

            edges[2 * node] = new DartsEdge(op1, in1);
            edges[(2 * node) + 1] = new DartsEdge(op2, in2);
        }

        return edges;
    }

    private static DartsEdge[] CrossCell(IReadOnlyList<DartsEdge> a, IReadOnlyList<DartsEdge> b, Generator generator)
    {
        var edges = new DartsEdge[DartsGenotype.EdgesPerCell];
        for (var k = 0; k < edges.Length; k += 2)
        {
            // Four coins per node (two operations, two inputs) plus a fifth for the repair, drawn always so the stream does not
            // depend on the parents.
            var op1 = generator.NextInt(2) == 0 ? a[k].Operation : b[k].Operation;
            var op2 = generator.NextInt(2) == 0 ? a[k + 1].Operation : b[k + 1].Operation;
            var in1 = generator.NextInt(2) == 0 ? a[k].Input : b[k].Input;
            var in2 = generator.NextInt(2) == 0 ? a[k + 1].Input : b[k + 1].Input;
            var parent = generator.NextInt(2) == 0 ? a : b;
            if (in1 == in2)
            {
                (in1, in2) = (parent[k].Input, parent[k + 1].Input);
            }

            edges[k] = new DartsEdge(op1, in1);
            edges[k + 1] = new DartsEdge(op2, in2);
        }

        return edges;
    }

    private static DartsGenotype With(DartsGenotype genotype, bool reduction, int index, DartsEdge edge)
    {
        var cell = genotype.GetCell(reduction).ToArray();
        cell[index] = edge;
        return reduction ? new DartsGenotype(genotype.Normal, cell) : new DartsGenotype(cell, genotype.Reduce);
    }
}
