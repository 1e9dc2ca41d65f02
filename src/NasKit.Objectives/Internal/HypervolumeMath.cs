namespace NasKit.Objectives.Internal;

/// <summary>
/// Exact hypervolume of minimisation points that lie strictly inside the reference corner (every coordinate below the reference).
/// </summary>
/// <remarks>
/// 1-D is a difference, 2-D a staircase area, 3-D a sweep over the third coordinate that grows a staircase (each slab between two
/// consecutive z values has the area of the points below it: O(N² ) in the worst case for the list updates, O(N log N) comparisons),
/// and higher dimensions slice along the last coordinate into lower-dimensional problems (exact, O(N^(M−2)) slabs).
/// </remarks>
internal static class HypervolumeMath
{
    public static double Compute(List<double[]> points, double[] reference)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        return reference.Length switch
        {
            1 => reference[0] - points.Min(p => p[0]),
            2 => Area(points, reference),
            3 => Volume3(points, reference),
            _ => Sliced(points, reference),
        };
    }

    /// <summary>Whether a point lies strictly inside the reference corner, so it dominates a region of positive volume.</summary>
    public static bool IsInside(ReadOnlySpan<double> point, ReadOnlySpan<double> reference)
    {
        for (var k = 0; k < reference.Length; k++)
        {
            if (!(point[k] < reference[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="a"/> is at least as small as <paramref name="b"/> in every coordinate.</summary>
    public static bool WeaklyDominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] > b[k])
            {
                return false;
            }
        }

        return true;
    }

    private static double Area(List<double[]> points, double[] reference)
    {
        var staircase = new Staircase(reference[0], reference[1]);
        foreach (var p in points)
        {
            staircase.Insert(p[0], p[1]);
        }

        return staircase.Area;
    }

    private static double Volume3(List<double[]> points, double[] reference)
    {
        var sorted = points.OrderBy(p => p[2]).ToArray();
        var staircase = new Staircase(reference[0], reference[1]);
        var volume = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            staircase.Insert(sorted[i][0], sorted[i][1]);
            var nextZ = i + 1 < sorted.Length ? sorted[i + 1][2] : reference[2];
            volume += staircase.Area * (nextZ - sorted[i][2]);
        }

        return volume;
    }

    private static double Sliced(List<double[]> points, double[] reference)
    {
        var last = reference.Length - 1;
        var sorted = points.OrderBy(p => p[last]).ToArray();
        var lower = reference[..last];
        var slab = new List<double[]>(sorted.Length);
        var volume = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            slab.Add(sorted[i][..last]);
            var nextZ = i + 1 < sorted.Length ? sorted[i + 1][last] : reference[last];
            var height = nextZ - sorted[i][last];
            if (height > 0)
            {
                volume += Compute(slab, lower) * height;
            }
        }

        return volume;
    }
}
