using System.Globalization;
using System.Text;
using NasKit.SearchSpace.Darts.Internal;

namespace NasKit.SearchSpace.Darts;

/// <summary>
/// Represents a discrete architecture of the DARTS cell search space (Liu et al., ICLR 2019): a normal cell and a reduction cell,
/// each with four intermediate nodes that sum two operations applied to two distinct earlier states, the cell output being the
/// concatenation of the four intermediate nodes.
/// </summary>
/// <remarks>
/// <para>The text form is exactly the one DARTS prints: <c>Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), …],
/// normal_concat=range(2, 6), reduce=[…], reduce_concat=range(2, 6))</c>, eight (operation, input) pairs per cell, pairs 2i and 2i + 1
/// feeding intermediate node i. Inputs 0 and 1 are the two previous cells' outputs, 2 + j is intermediate node j.</para>
/// <para>The two pairs of a node are summed, so their order does not matter: the canonical form sorts them (by input, then
/// operation), and genotypes that differ only in that order are equal, while their text forms (and integer encodings) keep the
/// order they were given in.</para>
/// <para>The constructor accepts any edges so that <see cref="Validate"/> can report every problem; the search space refuses
/// invalid genotypes.</para>
/// </remarks>
public sealed class DartsGenotype : Architecture
{
    /// <summary>The name of the DARTS search space, <c>darts</c>.</summary>
    public const string Name = "darts";

    /// <summary>The number of intermediate nodes per cell.</summary>
    public const int NodeCount = 4;

    /// <summary>The number of (operation, input) pairs per cell: two per intermediate node.</summary>
    public const int EdgesPerCell = 2 * NodeCount;

    private readonly DartsEdge[] _normal;
    private readonly DartsEdge[] _reduce;
    private readonly IReadOnlyList<DartsEdge> _normalView;
    private readonly IReadOnlyList<DartsEdge> _reduceView;
    private string? _text;
    private string? _canonical;

    /// <summary>Initializes a new instance of the <see cref="DartsGenotype"/> class.</summary>
    /// <param name="normal">The normal cell's pairs; pairs 2i and 2i + 1 feed intermediate node i.</param>
    /// <param name="reduce">The reduction cell's pairs, in the same layout.</param>
    public DartsGenotype(IEnumerable<DartsEdge> normal, IEnumerable<DartsEdge> reduce)
    {
        ArgumentNullException.ThrowIfNull(normal);
        ArgumentNullException.ThrowIfNull(reduce);
        _normal = [.. normal];
        _reduce = [.. reduce];

        // Read-only wrappers, so that callers cannot cast the lists back to arrays and change an immutable architecture.
        _normalView = Array.AsReadOnly(_normal);
        _reduceView = Array.AsReadOnly(_reduce);
    }

    /// <summary>Gets DARTS (second order), the cell found by the paper's second-order search (<c>DARTS_V2</c> in its code).</summary>
    public static DartsGenotype DartsV2 { get; } = new(
        [
            new(DartsOperation.SepConv3x3, 0), new(DartsOperation.SepConv3x3, 1),
            new(DartsOperation.SepConv3x3, 0), new(DartsOperation.SepConv3x3, 1),
            new(DartsOperation.SepConv3x3, 1), new(DartsOperation.SkipConnect, 0),
            new(DartsOperation.SkipConnect, 0), new(DartsOperation.DilConv3x3, 2),
        ],
        [
            new(DartsOperation.MaxPool3x3, 0), new(DartsOperation.MaxPool3x3, 1),
            new(DartsOperation.SkipConnect, 2), new(DartsOperation.MaxPool3x3, 1),
            new(DartsOperation.MaxPool3x3, 0), new(DartsOperation.SkipConnect, 2),
            new(DartsOperation.SkipConnect, 2), new(DartsOperation.MaxPool3x3, 1),
        ]);

    /// <summary>Gets DARTS (first order), the cell found by the paper's first-order search (<c>DARTS_V1</c> in its code).</summary>
    public static DartsGenotype DartsV1 { get; } = new(
        [
            new(DartsOperation.SepConv3x3, 1), new(DartsOperation.SepConv3x3, 0),
            new(DartsOperation.SkipConnect, 0), new(DartsOperation.SepConv3x3, 1),
            new(DartsOperation.SkipConnect, 0), new(DartsOperation.SepConv3x3, 1),
            new(DartsOperation.SepConv3x3, 0), new(DartsOperation.SkipConnect, 2),
        ],
        [
            new(DartsOperation.MaxPool3x3, 0), new(DartsOperation.MaxPool3x3, 1),
            new(DartsOperation.SkipConnect, 2), new(DartsOperation.MaxPool3x3, 0),
            new(DartsOperation.MaxPool3x3, 0), new(DartsOperation.SkipConnect, 2),
            new(DartsOperation.SkipConnect, 2), new(DartsOperation.AvgPool3x3, 0),
        ]);

    /// <summary>Gets the intermediate nodes whose outputs are concatenated to form a cell's output: 2, 3, 4, 5.</summary>
    public static IReadOnlyList<int> Concat { get; } = [2, 3, 4, 5];

    /// <inheritdoc/>
    public override string SpaceName => Name;

    /// <summary>Gets the normal cell's pairs, in the order given (pairs 2i and 2i + 1 feed intermediate node i).</summary>
    public IReadOnlyList<DartsEdge> Normal => _normalView;

    /// <summary>Gets the reduction cell's pairs, in the order given.</summary>
    public IReadOnlyList<DartsEdge> Reduce => _reduceView;

    /// <summary>Gets the canonical form: the text form with the two pairs of every node sorted by input, then operation.</summary>
    public override string CanonicalForm => _canonical ??= Format(canonical: true);

    /// <summary>Gets one cell's pairs.</summary>
    /// <param name="reduction">Whether to return the reduction cell rather than the normal cell.</param>
    /// <returns>The pairs.</returns>
    public IReadOnlyList<DartsEdge> GetCell(bool reduction) => reduction ? _reduceView : _normalView;

    /// <summary>Checks the genotype against the rules of the DARTS space and returns every problem (none when it is valid).</summary>
    /// <returns>
    /// The problems: a cell without exactly eight pairs, an operation that is <c>none</c> or undefined, an input outside
    /// 0 … i + 1 for node i, and a node whose two inputs are the same state.
    /// </returns>
    public IReadOnlyList<ArchitectureValidationError> Validate()
    {
        var errors = new List<ArchitectureValidationError>();
        ValidateCell("normal", _normal, errors);
        ValidateCell("reduce", _reduce, errors);
        return errors;
    }

    /// <summary>Returns the text form DARTS prints: <c>Genotype(normal=[…], normal_concat=range(2, 6), reduce=[…], reduce_concat=range(2, 6))</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => _text ??= Format(canonical: false);

    internal static string DescribeNode(string cell, int node) => string.Create(CultureInfo.InvariantCulture, $"{cell} node {node}");

    private static void ValidateCell(string cell, DartsEdge[] edges, List<ArchitectureValidationError> errors)
    {
        if (edges.Length != EdgesPerCell)
        {
            errors.Add(new(cell, string.Create(CultureInfo.InvariantCulture, $"a cell must have {EdgesPerCell} (operation, input) pairs (2 for each of its {NodeCount} nodes), but got {edges.Length}.")));
        }

        for (var k = 0; k < edges.Length; k++)
        {
            var node = k / 2;
            var location = string.Create(CultureInfo.InvariantCulture, $"{cell} node {node}, pair {k % 2}");
            var op = edges[k].Operation;
            if (op == DartsOperation.None)
            {
                errors.Add(new(location, $"the operation must not be 'none' (a discrete DARTS genotype never keeps it); the operations are {DartsOperations.GetNameList(includeNone: false)}."));
            }
            else if (!Enum.IsDefined(op))
            {
                errors.Add(new(location, string.Create(CultureInfo.InvariantCulture, $"the operation must be one of {DartsOperations.GetNameList(includeNone: false)}, but got the value {(int)op}.")));
            }

            var input = edges[k].Input;
            if (input < 0 || input > node + 1)
            {
                errors.Add(new(location, string.Create(CultureInfo.InvariantCulture, $"'0 <= input <= {node + 1}' must hold for node {node} (inputs 0 and 1 are the previous cells, 2 + j is node j), but got input={input}.")));
            }

            if (k % 2 == 1 && edges[k - 1].Input == input)
            {
                errors.Add(new(DescribeNode(cell, node), string.Create(CultureInfo.InvariantCulture, $"the two inputs of a node must differ, but both are {input}.")));
            }
        }
    }

    private string Format(bool canonical)
    {
        var sb = new StringBuilder(512);
        sb.Append("Genotype(normal=");
        AppendCell(sb, _normal, canonical);
        sb.Append(", normal_concat=range(2, 6), reduce=");
        AppendCell(sb, _reduce, canonical);
        sb.Append(", reduce_concat=range(2, 6))");
        return sb.ToString();
    }

    private static void AppendCell(StringBuilder sb, DartsEdge[] edges, bool canonical)
    {
        var ordered = canonical ? GenotypeOrder.Canonicalize(edges) : edges;
        sb.Append('[');
        for (var k = 0; k < ordered.Length; k++)
        {
            if (k > 0)
            {
                sb.Append(", ");
            }

            sb.Append(ordered[k].ToString());
        }

        sb.Append(']');
    }
}
