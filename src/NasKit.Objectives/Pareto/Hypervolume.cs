using System.Globalization;
using NasKit.Objectives.Internal;

namespace NasKit.Objectives.Pareto;

/// <summary>
/// Computes the exact hypervolume of a point set: the volume of the region that the points dominate and that dominates a reference
/// point, for objectives of any directions.
/// </summary>
/// <remarks>
/// <para>Maximised objectives are negated (with the reference) so that every objective is minimised. Points that do not strictly
/// dominate the reference in every objective (a coordinate equal to or worse than the reference's) add no volume and are ignored;
/// dominated and repeated points are harmless.</para>
/// <para><b>Algorithms.</b> Two objectives: a sweep over a sorted staircase, O(N log N) comparisons. Three objectives: a sweep over the
/// third objective that grows the two-dimensional staircase slab by slab (the HV3D idea), exact, O(N²) in the worst case and close to
/// O(N log N) in practice. More objectives: exact slicing along the last objective down to the three-objective sweep, O(N^(M−2))
/// slabs; fine for the front sizes of a NAS study, expensive for thousands of points in five or more objectives.</para>
/// <para>The result is exact up to floating-point rounding of the sums (integer coordinates of moderate size give exact results).</para>
/// </remarks>
public static class Hypervolume
{
    /// <summary>Computes the hypervolume of points with respect to a reference point.</summary>
    /// <param name="points">The objective vectors, all of the same length.</param>
    /// <param name="referencePoint">The reference point, finite, one value per objective; usually worse than every point of interest.</param>
    /// <param name="directions">The direction of each objective.</param>
    /// <returns>The hypervolume, at least 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A point is null, has the wrong length, holds NaN or an infinitely good value (−∞ when
    /// minimised, +∞ when maximised); there are no directions; or the reference point has the wrong length or a non-finite value.</exception>
    public static double Compute(IReadOnlyList<double[]> points, IReadOnlyList<double> referencePoint, IReadOnlyList<ObjectiveDirection> directions)
    {
        var (minimized, reference) = Prepare(points, referencePoint, directions);
        return HypervolumeMath.Compute(minimized, reference);
    }

    /// <summary>Computes the hypervolume of points with the reference point taken from the objectives' worst bounds
    /// (<see cref="Objective.WorstBound"/>), unless one is given.</summary>
    /// <param name="points">The objective vectors, in the order of <paramref name="objectives"/>.</param>
    /// <param name="objectives">The objectives.</param>
    /// <param name="referencePoint">The reference point, or null to use each objective's worst bound.</param>
    /// <returns>The hypervolume.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> or <paramref name="objectives"/> is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="Compute(IReadOnlyList{double[]}, IReadOnlyList{double}, IReadOnlyList{ObjectiveDirection})"/>;
    /// or no reference point is given and an objective has no worst bound.</exception>
    public static double Compute(IReadOnlyList<double[]> points, IReadOnlyList<Objective> objectives, IReadOnlyList<double>? referencePoint = null)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        return Compute(points, referencePoint ?? ReferenceFromBounds(objectives), objectives.Select(o => o.Direction).ToArray());
    }

    /// <summary>Builds a reference point from the objectives' worst bounds: the upper bound of each minimised objective, the lower bound
    /// of each maximised one.</summary>
    /// <param name="objectives">The objectives.</param>
    /// <returns>The reference point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="objectives"/> is null.</exception>
    /// <exception cref="ArgumentException">An objective has no worst bound; the message names every such objective.</exception>
    public static double[] ReferenceFromBounds(IReadOnlyList<Objective> objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        var missing = objectives.Where(o => o.WorstBound is null).Select(o => o.ToString()).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                "A hypervolume reference point needs the worst bound of every objective (the upper bound of a minimised one, the lower bound of a " +
                $"maximised one), but these objectives lack it: {string.Join(", ", missing)}. Give the bounds or pass a reference point.",
                nameof(objectives));
        }

        return objectives.Select(o => o.WorstBound!.Value).ToArray();
    }

    /// <summary>Validates the input and converts it to minimisation, keeping only the points strictly inside the reference corner.</summary>
    internal static (List<double[]> Points, double[] Reference) Prepare(
        IReadOnlyList<double[]> points, IReadOnlyList<double> referencePoint, IReadOnlyList<ObjectiveDirection> directions)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(referencePoint);
        ArgumentNullException.ThrowIfNull(directions);
        var signs = ParetoGuard.Signs(directions, nameof(directions));
        ParetoGuard.CheckPoints(points, signs.Length, nameof(points));
        var reference = ToMinimization(referencePoint, signs);
        var inside = new List<double[]>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var minimized = new double[signs.Length];
            for (var k = 0; k < signs.Length; k++)
            {
                minimized[k] = signs[k] * point[k];
            }

            CheckNotInfinitelyGood(minimized, i, nameof(points));
            if (HypervolumeMath.IsInside(minimized, reference))
            {
                inside.Add(minimized);
            }
        }

        return (inside, reference);
    }

    /// <summary>Rejects a coordinate that is infinitely good (−∞ after conversion to minimisation): its volume would be infinite.</summary>
    internal static void CheckNotInfinitelyGood(double[] minimized, int index, string parameterName)
    {
        for (var k = 0; k < minimized.Length; k++)
        {
            if (double.IsNegativeInfinity(minimized[k]))
            {
                throw new ArgumentException(
                    $"Objective values must not be infinitely good (−∞ for a minimised objective, +∞ for a maximised one), since the volume would be infinite, but {parameterName}[{index}][{k}] is.",
                    parameterName);
            }
        }
    }

    internal static double[] ToMinimization(IReadOnlyList<double> referencePoint, double[] signs)
    {
        if (referencePoint.Count != signs.Length)
        {
            throw new ArgumentException(
                $"The reference point must have one value per objective ({signs.Length}), but has {referencePoint.Count}.", nameof(referencePoint));
        }

        var reference = new double[signs.Length];
        for (var k = 0; k < signs.Length; k++)
        {
            if (!double.IsFinite(referencePoint[k]))
            {
                throw new ArgumentException(
                    $"The reference point must be finite, but referencePoint[{k}]={referencePoint[k].ToString(CultureInfo.InvariantCulture)}.", nameof(referencePoint));
            }

            reference[k] = signs[k] * referencePoint[k];
        }

        return reference;
    }
}
