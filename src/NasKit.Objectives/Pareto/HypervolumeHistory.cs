using NasKit.Objectives.Internal;

namespace NasKit.Objectives.Pareto;

/// <summary>
/// Computes the hypervolume reached after each point of a sequence (for example the trials of a study in completion order):
/// entry <c>k − 1</c> is the hypervolume of the first <c>k</c> points.
/// </summary>
/// <remarks>
/// <para>The history is built incrementally and exactly. The current non-dominated set is kept; a point that does not strictly dominate
/// the reference, that is weakly dominated by the set, or that is infeasible (positive violation, when violations are given) leaves the
/// hypervolume unchanged. Otherwise its exclusive contribution is added: with two objectives the area it adds to the staircase, with
/// more the volume of its own box minus the hypervolume of the set clipped to that box (the points <c>max(p, s)</c>).</para>
/// <para>The result is non-decreasing, and its last entry equals <see cref="Hypervolume.Compute(IReadOnlyList{double[]}, IReadOnlyList{double}, IReadOnlyList{ObjectiveDirection})"/>
/// of all (feasible) points up to rounding.</para>
/// </remarks>
public static class HypervolumeHistory
{
    /// <summary>Computes the hypervolume of the first <c>k</c> points for every <c>k</c> from 1 to the number of points.</summary>
    /// <param name="points">The objective vectors in sequence order, all of the same length.</param>
    /// <param name="referencePoint">The reference point, finite, one value per objective.</param>
    /// <param name="directions">The direction of each objective.</param>
    /// <param name="violations">The total constraint violation of each point (infeasible points, with a positive violation, add
    /// nothing), or null for no constraints.</param>
    /// <returns>One hypervolume per point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="points"/>, <paramref name="referencePoint"/> or <paramref name="directions"/> is null.</exception>
    /// <exception cref="ArgumentException">A point is null, has the wrong length, holds NaN or an infinitely good value; there are no directions; the reference
    /// point has the wrong length or a non-finite value; or the violations do not match the points.</exception>
    public static double[] Compute(
        IReadOnlyList<double[]> points, IReadOnlyList<double> referencePoint, IReadOnlyList<ObjectiveDirection> directions, IReadOnlyList<double>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(referencePoint);
        ArgumentNullException.ThrowIfNull(directions);
        var signs = ParetoGuard.Signs(directions, nameof(directions));
        ParetoGuard.CheckPoints(points, signs.Length, nameof(points));
        var violation = ParetoGuard.Violations(violations, points.Count, nameof(violations));
        var reference = Hypervolume.ToMinimization(referencePoint, signs);
        var history = new double[points.Count];
        var staircase = signs.Length == 2 ? new Staircase(reference[0], reference[1]) : null;
        var front = new List<double[]>();
        var total = 0.0;
        for (var i = 0; i < points.Count; i++)
        {
            var p = new double[signs.Length];
            for (var k = 0; k < p.Length; k++)
            {
                p[k] = signs[k] * points[i][k];
            }

            Hypervolume.CheckNotInfinitelyGood(p, i, nameof(points));
            if ((violation is null || violation[i] <= 0) && HypervolumeMath.IsInside(p, reference))
            {
                if (staircase is not null)
                {
                    total += staircase.Insert(p[0], p[1]);
                }
                else if (!front.Exists(s => HypervolumeMath.WeaklyDominates(s, p)))
                {
                    total += Contribution(p, front, reference);
                    front.RemoveAll(s => HypervolumeMath.WeaklyDominates(p, s));
                    front.Add(p);
                }
            }

            history[i] = total;
        }

        return history;
    }

    /// <summary>Computes the hypervolume history with the reference point taken from the objectives' worst bounds, unless one is given.</summary>
    /// <param name="points">The objective vectors in sequence order, in the order of <paramref name="objectives"/>.</param>
    /// <param name="objectives">The objectives.</param>
    /// <param name="referencePoint">The reference point, or null to use <see cref="Hypervolume.ReferenceFromBounds"/>.</param>
    /// <param name="violations">The total constraint violation of each point, or null for no constraints.</param>
    /// <returns>One hypervolume per point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> or <paramref name="objectives"/> is null.</exception>
    /// <exception cref="ArgumentException">See the other overload; or no reference point is given and an objective has no worst bound.</exception>
    public static double[] Compute(
        IReadOnlyList<double[]> points, IReadOnlyList<Objective> objectives, IReadOnlyList<double>? referencePoint = null, IReadOnlyList<double>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        return Compute(points, referencePoint ?? Hypervolume.ReferenceFromBounds(objectives), objectives.Select(o => o.Direction).ToArray(), violations);
    }

    private static double Contribution(double[] p, List<double[]> front, double[] reference)
    {
        var box = 1.0;
        for (var k = 0; k < p.Length; k++)
        {
            box *= reference[k] - p[k];
        }

        // The part of p's box already dominated is the union of the boxes of max(p, s): the hypervolume of the clipped set.
        var clipped = new List<double[]>(front.Count);
        foreach (var s in front)
        {
            var c = new double[p.Length];
            for (var k = 0; k < p.Length; k++)
            {
                c[k] = Math.Max(p[k], s[k]);
            }

            clipped.Add(c);
        }

        return box - HypervolumeMath.Compute(clipped, reference);
    }
}
