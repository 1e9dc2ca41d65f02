using NasKit.Objectives.Internal;

namespace NasKit.Objectives.Pareto;

/// <summary>Finds the non-dominated points (the first Pareto front) of a set of objective vectors or of evaluated items.</summary>
/// <remarks>
/// A point is on the front when no other point dominates it (<see cref="Dominance"/>); equal points are all on the front. With
/// constraints or violations, dominance is Deb's constraint-domination: when at least one point is feasible the front holds only
/// feasible points, otherwise it holds the points of least total violation. The cost is O(M·N²).
/// </remarks>
public static class ParetoFront
{
    /// <summary>Returns the indices of the non-dominated points.</summary>
    /// <param name="points">The objective vectors, all of the same length.</param>
    /// <param name="directions">The direction of each objective.</param>
    /// <param name="violations">The total constraint violation of each point (0 or less when feasible), or null for no constraints.</param>
    /// <returns>The ascending indices of the points on the front (empty when there are no points).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> or <paramref name="directions"/> is null.</exception>
    /// <exception cref="ArgumentException">A point is null, has the wrong length or holds NaN; there are no directions; or the
    /// violations do not match the points.</exception>
    public static int[] Of(IReadOnlyList<double[]> points, IReadOnlyList<ObjectiveDirection> directions, IReadOnlyList<double>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(directions);
        var signs = ParetoGuard.Signs(directions, nameof(directions));
        ParetoGuard.CheckPoints(points, signs.Length, nameof(points));
        var violation = ParetoGuard.Violations(violations, points.Count, nameof(violations));
        var front = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            var dominated = false;
            for (var j = 0; j < points.Count && !dominated; j++)
            {
                dominated = j != i && (violation is null
                    ? ParetoMath.Compare(points[j], points[i], signs)
                    : ParetoMath.CompareConstrained(points[j], violation[j], points[i], violation[i], signs)) > 0;
            }

            if (!dominated)
            {
                front.Add(i);
            }
        }

        return [.. front];
    }

    /// <summary>Returns the non-dominated items, reading each item's objective values (and constraint metrics) from its metrics.</summary>
    /// <typeparam name="T">The item type, for example a trial record.</typeparam>
    /// <param name="items">The evaluated items.</param>
    /// <param name="metrics">Reads an item's metrics by name.</param>
    /// <param name="objectives">The objectives.</param>
    /// <param name="constraints">The constraints, or null for none.</param>
    /// <returns>The items on the front, in their input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/>, <paramref name="metrics"/> or <paramref name="objectives"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no objectives, or an objective value or constraint metric is NaN.</exception>
    /// <exception cref="KeyNotFoundException">An item lacks an objective's or a constraint's metric.</exception>
    public static IReadOnlyList<T> Of<T>(
        IReadOnlyList<T> items, Func<T, IReadOnlyDictionary<string, double>> metrics, IReadOnlyList<Objective> objectives, IReadOnlyList<Constraint>? constraints = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(objectives);
        var points = new double[items.Count][];
        var violations = constraints is null || constraints.Count == 0 ? null : new double[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var values = metrics(items[i]);
            points[i] = objectives.Select(o => o.GetValue(values)).ToArray();
            if (violations is not null)
            {
                violations[i] = Constraint.TotalViolation(constraints!, values);
            }
        }

        var directions = objectives.Select(o => o.Direction).ToArray();
        return Of(points, directions, violations).Select(i => items[i]).ToArray();
    }
}
