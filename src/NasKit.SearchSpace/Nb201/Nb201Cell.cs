using System.Collections.ObjectModel;
using System.Text;
using NasKit.SearchSpace.Nb201.Internal;

namespace NasKit.SearchSpace.Nb201;

/// <summary>
/// Represents one NAS-Bench-201 cell: a four-node DAG (node 0 = cell input, node 3 = cell output) with one operation on each of its
/// six edges i → j (i &lt; j), stored in the benchmark's <c>edge2index</c> order <c>1&lt;-0, 2&lt;-0, 2&lt;-1, 3&lt;-0, 3&lt;-1, 3&lt;-2</c>.
/// </summary>
/// <remarks>
/// <para>Node j is the sum over i &lt; j of op<sub>i→j</sub>(node i); the cell's output is node 3. The text form
/// (<see cref="ToString"/>) is the benchmark's <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c>, exact and suitable for table look-up.</para>
/// <para>Equality follows <see cref="CanonicalForm"/>, the benchmark's isomorphism rule (see its remarks), so cells with different
/// text forms may compare equal. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class Nb201Cell : Architecture
{
    /// <summary>The number of nodes of the cell DAG.</summary>
    public const int NodeCount = 4;

    /// <summary>The number of edges (one per node pair i &lt; j).</summary>
    public const int EdgeCount = 6;

    /// <summary>The number of cells in the space, 5⁶.</summary>
    public const int TotalCount = 15_625;

    /// <summary>The space name shared by the cell and its search space.</summary>
    internal const string Space = "nb201";

    private static readonly (int To, int From)[] s_edges = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)];

    private readonly Nb201Operation[] _operations;
    private string? _canonicalForm;
    private string? _functionalForm;
    private ReadOnlyCollection<int>? _deadEdges;
    private string? _text;

    /// <summary>Initializes a new instance of the <see cref="Nb201Cell"/> class from its six edge operations in <c>edge2index</c> order.</summary>
    /// <param name="operations">The operations of edges 1&lt;-0, 2&lt;-0, 2&lt;-1, 3&lt;-0, 3&lt;-1, 3&lt;-2.</param>
    /// <exception cref="ArgumentException">There are not exactly six operations.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An operation is not a defined <see cref="Nb201Operation"/> value.</exception>
    public Nb201Cell(params ReadOnlySpan<Nb201Operation> operations)
    {
        if (operations.Length != EdgeCount)
        {
            throw new ArgumentException($"A NAS-Bench-201 cell has {EdgeCount} edge operations, but got {operations.Length}.", nameof(operations));
        }

        for (var e = 0; e < EdgeCount; e++)
        {
            if (!Nb201Operations.IsDefined(operations[e]))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(operations),
                    (int)operations[e],
                    $"The operation of edge {GetEdgeName(e)} (index {e}) must be one of 0..{Nb201Operations.Count - 1} ({string.Join(", ", Nb201Operations.Names)}), but got {(int)operations[e]}.");
            }
        }

        _operations = operations.ToArray();
        Operations = Array.AsReadOnly(_operations);
    }

    /// <inheritdoc/>
    public override string SpaceName => Space;

    /// <summary>Gets the six edge operations in <c>edge2index</c> order (1&lt;-0, 2&lt;-0, 2&lt;-1, 3&lt;-0, 3&lt;-1, 3&lt;-2).</summary>
    public IReadOnlyList<Nb201Operation> Operations { get; }

    /// <summary>Gets the cell's position in the space's enumeration order: the operation indices read as a base-5 number, edge 1&lt;-0 most significant.</summary>
    /// <remarks>This is NasKit's order (<see cref="Nb201SearchSpace.Enumerate"/>), not the benchmark API's row index.</remarks>
    public int Index
    {
        get
        {
            var index = 0;
            foreach (var op in _operations)
            {
                index = (index * Nb201Operations.Count) + (int)op;
            }

            return index;
        }
    }

    /// <summary>
    /// Gets the canonical form: NAS-Bench-201's own isomorphism string, so that equality merges exactly the cells the benchmark
    /// counts as one (its 15,625 cells give the 6,466 "unique" cells it reports).
    /// </summary>
    /// <remarks>
    /// <para>The rule of the benchmark's <c>Structure.to_unique_str(consider_zero=True)</c>, re-implemented: node 0 is <c>0</c>; a term
    /// is <c>#</c> (zero) for a <c>none</c> edge or for a source whose whole string is <c>#</c>, the source's string unchanged for
    /// <c>skip_connect</c>, and <c>(source)@name</c> otherwise; a node is the order-independent sum of its terms: the terms, zero terms
    /// included, sorted ordinally and joined with <c>+</c>. The canonical form is node 3's string.</para>
    /// <para>This rule never merges two cells that compute different functions, but it merges fewer than it could: it keeps zero terms
    /// (<c>x + 0</c> differs from <c>x</c>), sees a node as zero only when it has a single zero term, and joins nested sums without
    /// brackets. <see cref="FunctionalForm"/> is the stricter algebraic form (5,773 classes); use it where "computes the same function"
    /// matters more than agreeing with the benchmark.</para>
    /// </remarks>
    public override string CanonicalForm => _canonicalForm ??= Nb201CellAnalysis.CanonicalForm(_operations);

    /// <summary>Gets the symbolic expression of the output node, shared by every cell that computes the same expression.</summary>
    /// <remarks>
    /// <para>The rule: node 0 is the symbol <c>x</c>. A <c>none</c> edge, or any edge leaving a node that is identically zero,
    /// contributes no (a zero) term; <c>skip_connect</c> passes its source's expression through unchanged; <c>nor_conv_1x1</c>,
    /// <c>nor_conv_3x3</c> and <c>avg_pool_3x3</c> contribute <c>name(source)</c>. A node is the order-independent sum of its terms:
    /// a single term stands for itself, several are written <c>[t1+t2+...]</c> sorted ordinally with duplicates kept (a multiset);
    /// a node without terms is zero. The form is the expression of node 3, or <c>zero</c> for every cell whose output is
    /// identically zero. Nested sums are not flattened (<c>[[a+b]+c]</c> differs from <c>[a+[b+c]]</c>).</para>
    /// <para>Over the 15,625 cells this rule gives 5,773 distinct forms, fewer than the benchmark's 6,466 (<see cref="CanonicalForm"/>),
    /// because it drops zero terms and recognises every zero node.</para>
    /// </remarks>
    public string FunctionalForm => _functionalForm ??= Nb201CellAnalysis.FunctionalForm(_operations);

    /// <summary>Gets whether the cell's output is identically zero (no path of non-<c>none</c> edges from the input to the output).</summary>
    public bool IsOutputZero => string.Equals(FunctionalForm, Nb201CellAnalysis.ZeroForm, StringComparison.Ordinal);

    /// <summary>Gets the edges (as <c>edge2index</c> indices, ascending) that cannot influence the output.</summary>
    /// <remarks>
    /// An edge is dead when its operation is <c>none</c>, when it leaves a node that is identically zero, or when it enters a node
    /// that does not reach node 3 through non-<c>none</c> edges. Setting every dead edge to <c>none</c> leaves
    /// <see cref="FunctionalForm"/> unchanged. The network still evaluates dead edges, as the benchmark's does.
    /// </remarks>
    public IReadOnlyList<int> DeadEdges => _deadEdges ??= Array.AsReadOnly(Nb201CellAnalysis.DeadEdges(_operations));

    /// <summary>Gets the operation on the edge from node <paramref name="from"/> to node <paramref name="to"/>.</summary>
    /// <param name="to">The target node, 1..3.</param>
    /// <param name="from">The source node, 0..to-1.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pair is not an edge (0 ≤ from &lt; to ≤ 3 must hold).</exception>
    public Nb201Operation this[int to, int from] => _operations[GetEdgeIndex(to, from)];

    /// <summary>Returns the cell at a position of the enumeration order (the inverse of <see cref="Index"/>).</summary>
    /// <param name="index">The position, 0..15,624.</param>
    /// <returns>The cell.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside 0..15,624.</exception>
    public static Nb201Cell FromIndex(int index)
    {
        if ((uint)index >= TotalCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"A NAS-Bench-201 cell index must be in 0..{TotalCount - 1}, but got {index}.");
        }

        Span<Nb201Operation> ops = stackalloc Nb201Operation[EdgeCount];
        for (var e = EdgeCount - 1; e >= 0; e--)
        {
            ops[e] = (Nb201Operation)(index % Nb201Operations.Count);
            index /= Nb201Operations.Count;
        }

        return new Nb201Cell(ops);
    }

    /// <summary>Gets the <c>edge2index</c> position of the edge from node <paramref name="from"/> to node <paramref name="to"/>.</summary>
    /// <param name="to">The target node, 1..3.</param>
    /// <param name="from">The source node, 0..to-1.</param>
    /// <returns>The edge index, 0..5.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pair is not an edge (0 ≤ from &lt; to ≤ 3 must hold).</exception>
    public static int GetEdgeIndex(int to, int from)
    {
        if (to < 1 || to >= NodeCount || from < 0 || from >= to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"A NAS-Bench-201 edge needs '0 <= from < to <= {NodeCount - 1}', but got to={to}, from={from}.");
        }

        return (to * (to - 1) / 2) + from;
    }

    /// <summary>Gets the nodes of an edge.</summary>
    /// <param name="edgeIndex">The <c>edge2index</c> position, 0..5.</param>
    /// <returns>The target and source nodes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..5.</exception>
    public static (int To, int From) GetEdge(int edgeIndex)
    {
        EnsureEdgeIndex(edgeIndex);
        return s_edges[edgeIndex];
    }

    /// <summary>Gets an edge's name in the benchmark's <c>edge2index</c> style, for example <c>2&lt;-1</c>.</summary>
    /// <param name="edgeIndex">The <c>edge2index</c> position, 0..5.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..5.</exception>
    public static string GetEdgeName(int edgeIndex)
    {
        var (to, from) = GetEdge(edgeIndex);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{to}<-{from}");
    }

    /// <summary>Gets the operation on the edge from node <paramref name="from"/> to node <paramref name="to"/>.</summary>
    /// <param name="to">The target node, 1..3.</param>
    /// <param name="from">The source node, 0..to-1.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pair is not an edge (0 ≤ from &lt; to ≤ 3 must hold).</exception>
    public Nb201Operation GetOperation(int to, int from) => this[to, from];

    /// <summary>Returns a copy of the cell with one edge's operation replaced.</summary>
    /// <param name="edgeIndex">The <c>edge2index</c> position, 0..5.</param>
    /// <param name="operation">The new operation.</param>
    /// <returns>The new cell.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..5 or the operation is not defined.</exception>
    public Nb201Cell WithOperation(int edgeIndex, Nb201Operation operation)
    {
        EnsureEdgeIndex(edgeIndex);
        Nb201Operations.EnsureDefined(operation, nameof(operation));
        Span<Nb201Operation> ops = stackalloc Nb201Operation[EdgeCount];
        _operations.CopyTo(ops);
        ops[edgeIndex] = operation;
        return new Nb201Cell(ops);
    }

    /// <summary>Returns the benchmark's text form, <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => _text ??= Format();

    private static void EnsureEdgeIndex(int edgeIndex)
    {
        if ((uint)edgeIndex >= EdgeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(edgeIndex), edgeIndex, $"A NAS-Bench-201 edge index must be in 0..{EdgeCount - 1}, but got {edgeIndex}.");
        }
    }

    private string Format()
    {
        var sb = new StringBuilder(128);
        for (var to = 1; to < NodeCount; to++)
        {
            if (to > 1)
            {
                sb.Append('+');
            }

            sb.Append('|');
            for (var from = 0; from < to; from++)
            {
                sb.Append(Nb201Operations.GetName(this[to, from])).Append('~').Append((char)('0' + from)).Append('|');
            }
        }

        return sb.ToString();
    }
}
