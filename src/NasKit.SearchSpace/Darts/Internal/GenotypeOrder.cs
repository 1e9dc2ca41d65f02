namespace NasKit.SearchSpace.Darts.Internal;

/// <summary>Orders the two pairs of each node of a DARTS cell canonically.</summary>
internal static class GenotypeOrder
{
    /// <summary>Returns a copy with the pairs of every complete node sorted by input, then operation; a trailing odd pair stays last.</summary>
    /// <param name="edges">The cell's pairs.</param>
    /// <returns>The sorted copy.</returns>
    public static DartsEdge[] Canonicalize(ReadOnlySpan<DartsEdge> edges)
    {
        var result = edges.ToArray();
        for (var k = 0; k + 1 < result.Length; k += 2)
        {
            if (Compare(result[k], result[k + 1]) > 0)
            {
                (result[k], result[k + 1]) = (result[k + 1], result[k]);
            }
        }

        return result;
    }

    private static int Compare(DartsEdge a, DartsEdge b) =>
        a.Input != b.Input ? a.Input.CompareTo(b.Input) : ((int)a.Operation).CompareTo((int)b.Operation);
}
