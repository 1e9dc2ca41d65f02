using NasKit.Objectives.Internal;

namespace NasKit.Objectives.Pareto;

/// <summary>Computes NSGA-II's crowding distance of the points of one front (Deb et al., 2002).</summary>
/// <remarks>
/// <para>For each objective the front is sorted by that objective (ties kept in front order); the two extreme points get an infinite
/// distance and every other point adds <c>(next − previous) / (max − min)</c>, the normalised side of the cuboid its neighbours span.
/// An objective in which every point of the front has the same value adds nothing (its extremes are still infinite). The distance does
/// not depend on the objectives' directions.</para>
/// <para>Fronts of one or two points are all boundary: every distance is infinite.</para>
/// </remarks>
public static class CrowdingDistance
{
    /// <summary>Computes the crowding distance of every point of a front.</summary>
    /// <param name="points">The objective vectors of all points, all of the same length.</param>
    /// <param name="front">The indices, into <paramref name="points"/>, of the front's points (for example one front of
    /// <see cref="NonDominatedSorting.Sort"/>).</param>
    /// <returns>One distance per entry of <paramref name="front"/>, in the same order; boundary points get
    /// <see cref="double.PositiveInfinity"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A point is null, holds NaN or has a length different from the others.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index of <paramref name="front"/> is outside the points.</exception>
    public static double[] Compute(IReadOnlyList<double[]> points, IReadOnlyList<int> front)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(front);
        var count = front.Count;
        var distances = new double[count];
        if (count == 0)
        {
            return distances;
        }

        for (var i = 0; i < count; i++)
        {
            if ((uint)front[i] >= (uint)points.Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(front), front[i], $"Every front index must lie in [0, {points.Count}), but front[{i}]={front[i]}.");
            }
        }

        var objectives = points[front[0]]?.Length ?? 0;
        var members = new double[count][];
        for (var i = 0; i < count; i++)
        {
            ParetoGuard.CheckPoint(points[front[i]], front[i], objectives, nameof(points));
            members[i] = points[front[i]];
        }

        if (count <= 2)
        {
            Array.Fill(distances, double.PositiveInfinity);
            return distances;
        }

        var order = new int[count];
        for (var m = 0; m < objectives; m++)
        {
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
            }

            var objective = m;
            // Stable: ties keep front order, so the boundary points chosen among equal values do not depend on the sort algorithm.
            var sorted = order.OrderBy(i => members[i][objective]).ToArray();
            var min = members[sorted[0]][m];
            var max = members[sorted[^1]][m];
            distances[sorted[0]] = double.PositiveInfinity;
            distances[sorted[^1]] = double.PositiveInfinity;
            var range = max - min;
            if (!(range > 0) || double.IsInfinity(range))
            {
                continue;
            }

            for (var k = 1; k < count - 1; k++)
            {
                distances[sorted[k]] += (members[sorted[k + 1]][m] - members[sorted[k - 1]][m]) / range;
            }
        }

        return distances;
    }
}
