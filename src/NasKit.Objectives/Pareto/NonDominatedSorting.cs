using NasKit.Objectives.Internal;

namespace NasKit.Objectives.Pareto;

/// <summary>
/// Sorts points into non-dominated fronts with the fast non-dominated sort of NSGA-II (Deb et al., 2002): O(M·N²) comparisons for N
/// points and M objectives.
/// </summary>
/// <remarks>
/// Front 0 holds the points no other point dominates; front <c>k</c> holds those dominated only by points of fronts before it. With
/// violations, dominance is Deb's constraint-domination (<see cref="Dominance.ConstrainedDominates"/>), so every feasible point ranks
/// before every infeasible one. Indices inside a front are ascending, so the result does not depend on anything but the input.
/// </remarks>
public static class NonDominatedSorting
{
    /// <summary>Sorts points into non-dominated fronts.</summary>
    /// <param name="points">The objective vectors, all of the same length.</param>
    /// <param name="directions">The direction of each objective.</param>
    /// <param name="violations">The total constraint violation of each point (0 or less when feasible), or null for no constraints.</param>
    /// <returns>The fronts, best first, each the ascending indices of its points; every index appears in exactly one front.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> or <paramref name="directions"/> is null.</exception>
    /// <exception cref="ArgumentException">A point is null, has the wrong length or holds NaN; there are no directions; or the
    /// violations do not match the points.</exception>
    public static IReadOnlyList<int[]> Sort(
        IReadOnlyList<double[]> points, IReadOnlyList<ObjectiveDirection> directions, IReadOnlyList<double>? violations = null)
    {
        var ranks = Ranks(points, directions, violations);
        var frontCount = ranks.Length == 0 ? 0 : ranks.Max() + 1;
        var sizes = new int[frontCount];
        foreach (var rank in ranks)
        {
            sizes[rank]++;
        }

        var fronts = new int[frontCount][];
        for (var f = 0; f < frontCount; f++)
        {
            fronts[f] = new int[sizes[f]];
            sizes[f] = 0;
        }

        for (var i = 0; i < ranks.Length; i++)
        {
            fronts[ranks[i]][sizes[ranks[i]]++] = i;
        }

        return fronts;
    }

    /// <summary>Returns the front index (rank, 0 for the non-dominated points) of every point.</summary>
    /// <param name="points">The objective vectors, all of the same length.</param>
    /// <param name="directions">The direction of each objective.</param>
    /// <param name="violations">The total constraint violation of each point, or null for no constraints.</param>
    /// <returns>One rank per point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> or <paramref name="directions"/> is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="Sort"/>.</exception>
    public static int[] Ranks(IReadOnlyList<double[]> points, IReadOnlyList<ObjectiveDirection> directions, IReadOnlyList<double>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(directions);
        var signs = ParetoGuard.Signs(directions, nameof(directions));
        ParetoGuard.CheckPoints(points, signs.Length, nameof(points));
        var violation = ParetoGuard.Violations(violations, points.Count, nameof(violations));

        var n = points.Count;
        var dominatedCount = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            dominates[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var relation = violation is null
                    ? ParetoMath.Compare(points[i], points[j], signs)
                    : ParetoMath.CompareConstrained(points[i], violation[i], points[j], violation[j], signs);
                if (relation > 0)
                {
                    dominates[i].Add(j);
                    dominatedCount[j]++;
                }
                else if (relation < 0)
                {
                    dominates[j].Add(i);
                    dominatedCount[i]++;
                }
            }
        }

        var ranks = new int[n];
        var current = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (dominatedCount[i] == 0)
            {
                current.Add(i);
            }
        }

        var rank = 0;
        while (current.Count > 0)
        {
            var next = new List<int>();
            foreach (var p in current)
            {
                ranks[p] = rank;
                foreach (var q in dominates[p])
                {
                    if (--dominatedCount[q] == 0)
                    {
                        next.Add(q);
                    }
                }
            }

            current = next;
            rank++;
        }

        return ranks;
    }
}
