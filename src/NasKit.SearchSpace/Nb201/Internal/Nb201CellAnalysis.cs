namespace NasKit.SearchSpace.Nb201.Internal;

/// <summary>Symbolic analysis of a NAS-Bench-201 cell: canonical expressions, zero nodes, dead edges.</summary>
internal static class Nb201CellAnalysis
{
    /// <summary>The canonical form shared by every cell whose output is identically zero.</summary>
    internal const string ZeroForm = "zero";

    private const string InputSymbol = "x";

    /// <summary>
    /// Builds the expression of node 3. Node 0 is the symbol <c>x</c>; a <c>none</c> edge or an edge out of a zero node adds no term;
    /// <c>skip_connect</c> adds its source's expression unchanged; another op adds <c>name(source)</c>; a node is its single term, or
    /// <c>[t1+t2+...]</c> with the terms (duplicates kept) sorted ordinally, or zero when it has no term.
    /// </summary>
    internal static string FunctionalForm(ReadOnlySpan<Nb201Operation> ops)
    {
        var nodes = new string?[Nb201Cell.NodeCount];
        nodes[0] = InputSymbol;
        var terms = new List<string>(3);
        for (var to = 1; to < Nb201Cell.NodeCount; to++)
        {
            terms.Clear();
            for (var from = 0; from < to; from++)
            {
                var op = ops[Nb201Cell.GetEdgeIndex(to, from)];
                var source = nodes[from];
                if (op == Nb201Operation.None || source is null)
                {
                    continue;
                }

                terms.Add(op == Nb201Operation.SkipConnect ? source : Nb201Operations.GetName(op) + "(" + source + ")");
            }

            terms.Sort(StringComparer.Ordinal);
            nodes[to] = terms.Count switch
            {
                0 => null,
                1 => terms[0],
                _ => "[" + string.Join('+', terms) + "]",
            };
        }

        return nodes[Nb201Cell.NodeCount - 1] ?? ZeroForm;
    }

    /// <summary>
    /// Builds the string of the NAS-Bench-201 code's isomorphism check (<c>Structure.to_unique_str(consider_zero=True)</c>), an
    /// independent re-implementation of its rule: node 0 is <c>0</c>; a term is <c>#</c> for a <c>none</c> edge or a source whose
    /// string is exactly <c>#</c>, the source string for <c>skip_connect</c>, otherwise <c>(source)@name</c>; a node joins its
    /// terms, zero terms included, sorted ordinally, with <c>+</c>.
    /// </summary>
    internal static string CanonicalForm(ReadOnlySpan<Nb201Operation> ops)
    {
        var nodes = new string[Nb201Cell.NodeCount];
        nodes[0] = "0";
        var terms = new List<string>(3);
        for (var to = 1; to < Nb201Cell.NodeCount; to++)
        {
            terms.Clear();
            for (var from = 0; from < to; from++)
            {
                var op = ops[Nb201Cell.GetEdgeIndex(to, from)];
                var source = nodes[from];
                terms.Add(op == Nb201Operation.None || source == "#" ? "#"
                    : op == Nb201Operation.SkipConnect ? source
                    : "(" + source + ")@" + Nb201Operations.GetName(op));
            }

            terms.Sort(StringComparer.Ordinal);
            nodes[to] = string.Join('+', terms);
        }

        return nodes[Nb201Cell.NodeCount - 1];
    }

    /// <summary>Marks the nodes that are identically zero: every incoming edge is <c>none</c> or leaves a zero node (node 0 never is).</summary>
    internal static bool[] ZeroNodes(ReadOnlySpan<Nb201Operation> ops)
    {
        var zero = new bool[Nb201Cell.NodeCount];
        for (var to = 1; to < Nb201Cell.NodeCount; to++)
        {
            zero[to] = true;
            for (var from = 0; from < to; from++)
            {
                if (ops[Nb201Cell.GetEdgeIndex(to, from)] != Nb201Operation.None && !zero[from])
                {
                    zero[to] = false;
                }
            }
        }

        return zero;
    }

    /// <summary>Returns the edges that cannot influence the output, ascending.</summary>
    internal static int[] DeadEdges(ReadOnlySpan<Nb201Operation> ops)
    {
        var zero = ZeroNodes(ops);
        var last = Nb201Cell.NodeCount - 1;
        var reaches = new bool[Nb201Cell.NodeCount];
        reaches[last] = true;
        for (var from = last - 1; from >= 0; from--)
        {
            for (var to = from + 1; to <= last; to++)
            {
                if (reaches[to] && ops[Nb201Cell.GetEdgeIndex(to, from)] != Nb201Operation.None)
                {
                    reaches[from] = true;
                }
            }
        }

        var dead = new List<int>(Nb201Cell.EdgeCount);
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var (to, from) = Nb201Cell.GetEdge(e);
            if (ops[e] == Nb201Operation.None || zero[from] || !reaches[to])
            {
                dead.Add(e);
            }
        }

        return [.. dead];
    }
}
