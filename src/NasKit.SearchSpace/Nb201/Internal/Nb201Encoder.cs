namespace NasKit.SearchSpace.Nb201.Internal;

/// <summary>The fixed-length vector encodings of NAS-Bench-201 cells (layouts documented on <see cref="Nb201SearchSpace"/>).</summary>
internal static class Nb201Encoder
{
    internal const int IntegerLength = Nb201Cell.EdgeCount;
    internal const int OneHotLength = Nb201Cell.EdgeCount * Nb201Operations.Count;

    /// <summary>Nodes of the op-on-node graph: input, one per edge, output.</summary>
    internal const int AdjacencyNodes = Nb201Cell.EdgeCount + 2;
    internal const int AdjacencyLength = (AdjacencyNodes * AdjacencyNodes) + OneHotLength;

    /// <summary>Path alphabet: the four non-none operations.</summary>
    internal const int PathAlphabet = Nb201Operations.Count - 1;
    internal const int PathLength = PathAlphabet + (PathAlphabet * PathAlphabet) + (PathAlphabet * PathAlphabet * PathAlphabet);

    /// <summary>The four input-to-output paths of the cell DAG, as edge indices from the input side.</summary>
    private static readonly int[][] s_paths =
    [
        [Nb201Cell.GetEdgeIndex(3, 0)],
        [Nb201Cell.GetEdgeIndex(1, 0), Nb201Cell.GetEdgeIndex(3, 1)],
        [Nb201Cell.GetEdgeIndex(2, 0), Nb201Cell.GetEdgeIndex(3, 2)],
        [Nb201Cell.GetEdgeIndex(1, 0), Nb201Cell.GetEdgeIndex(2, 1), Nb201Cell.GetEdgeIndex(3, 2)],
    ];

    internal static float[] Integer(Nb201Cell cell)
    {
        var v = new float[IntegerLength];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            v[e] = (int)cell.Operations[e];
        }

        return v;
    }

    internal static float[] OneHot(Nb201Cell cell)
    {
        var v = new float[OneHotLength];
        WriteOneHot(cell, v);
        return v;
    }

    internal static float[] Adjacency(Nb201Cell cell)
    {
        var v = new float[AdjacencyLength];
        const int Output = AdjacencyNodes - 1;
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var (to, from) = Nb201Cell.GetEdge(e);
            var node = e + 1;
            if (from == 0)
            {
                v[(0 * AdjacencyNodes) + node] = 1f;
            }

            if (to == Nb201Cell.NodeCount - 1)
            {
                v[(node * AdjacencyNodes) + Output] = 1f;
            }
            else
            {
                // This edge's node feeds every edge that leaves its target node.
                for (var next = to + 1; next < Nb201Cell.NodeCount; next++)
                {
                    v[(node * AdjacencyNodes) + Nb201Cell.GetEdgeIndex(next, to) + 1] = 1f;
                }
            }
        }

        WriteOneHot(cell, v.AsSpan(AdjacencyNodes * AdjacencyNodes));
        return v;
    }

    internal static float[] Path(Nb201Cell cell)
    {
        var v = new float[PathLength];
        foreach (var path in s_paths)
        {
            var offset = 0;
            for (var len = 1; len < path.Length; len++)
            {
                offset += Pow(PathAlphabet, len);
            }

            var code = 0;
            var alive = true;
            foreach (var e in path)
            {
                var op = cell.Operations[e];
                if (op == Nb201Operation.None)
                {
                    alive = false;
                    break;
                }

                code = (code * PathAlphabet) + ((int)op - 1);
            }

            if (alive)
            {
                v[offset + code] += 1f;
            }
        }

        return v;
    }

    private static void WriteOneHot(Nb201Cell cell, Span<float> destination)
    {
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            destination[(e * Nb201Operations.Count) + (int)cell.Operations[e]] = 1f;
        }
    }

    private static int Pow(int b, int e)
    {
        var r = 1;
        for (var i = 0; i < e; i++)
        {
            r *= b;
        }

        return r;
    }
}
