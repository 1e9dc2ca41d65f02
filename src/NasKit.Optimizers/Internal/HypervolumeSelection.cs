using NasKit.Objectives;
using NasKit.Objectives.Pareto;

namespace NasKit.Optimizers.Internal;

/// <summary>
/// The hypervolume rules of Optuna's multi-objective TPE (4.x): the reference point, the greedy hypervolume subset selection that breaks
/// ties in the last non-dominated rank of the good set, and the good set's weights by hypervolume contribution. Points are loss vectors
/// (every objective minimised).
/// </summary>
internal static class HypervolumeSelection
{
    /// <summary>The floor of weights and of a zero reference coordinate (Optuna's EPS).</summary>
    public const double Epsilon = 1e-12;

    /// <summary>Optuna's reference point: per objective max(1.1·worst, 0.9·worst), with 0 replaced by <see cref="Epsilon"/>.</summary>
    /// <param name="losses">The loss vectors (at least one).</param>
    /// <returns>The reference point.</returns>
    public static double[] ReferencePoint(IReadOnlyList<double[]> losses)
    {
        var m = losses[0].Length;
        var reference = new double[m];
        for (var k = 0; k < m; k++)
        {
            var worst = losses.Max(p => p[k]);
            reference[k] = Math.Max(1.1 * worst, 0.9 * worst);
            if (reference[k] == 0)
            {
                reference[k] = Epsilon;
            }
        }

        return reference;
    }

    /// <summary>Greedily picks <paramref name="count"/> points, each time the one adding the most hypervolume to those already picked
    /// (the first on ties).</summary>
    /// <param name="losses">The candidates' loss vectors.</param>
    /// <param name="count">How many to pick (at most the number of candidates).</param>
    /// <returns>Indices into <paramref name="losses"/>, in the order picked.</returns>
    public static int[] GreedySubset(IReadOnlyList<double[]> losses, int count)
    {
        if (count >= losses.Count)
        {
            return [.. Enumerable.Range(0, losses.Count)];
        }

        var reference = ReferencePoint(losses);
        if (!reference.All(double.IsFinite))
        {
            return [.. Enumerable.Range(0, count)];
        }

        var directions = Enumerable.Repeat(ObjectiveDirection.Minimize, reference.Length).ToArray();
        var picked = new List<int>(count);
        var pickedPoints = new List<double[]>(count);
        var current = 0.0;
        while (picked.Count < count)
        {
            var best = -1;
            var bestGain = double.NegativeInfinity;
            for (var i = 0; i < losses.Count; i++)
            {
                if (picked.Contains(i))
                {
                    continue;
                }

                var gain = Hypervolume.Compute([.. pickedPoints, losses[i]], reference, directions) - current;
                if (gain > bestGain)
                {
                    (best, bestGain) = (i, gain);
                }
            }

            picked.Add(best);
            pickedPoints.Add(losses[best]);
            current += bestGain;
        }

        return [.. picked];
    }

    /// <summary>Optuna's weights of the good set: each feasible point's exclusive hypervolume contribution among the feasible points,
    /// divided by the largest, floored at <see cref="Epsilon"/>; infeasible points get <see cref="Epsilon"/>; a single feasible point 1.</summary>
    /// <param name="losses">The loss vectors of the good set.</param>
    /// <param name="feasible">Whether each point is feasible.</param>
    /// <returns>One positive weight per point.</returns>
    public static double[] ContributionWeights(IReadOnlyList<double[]> losses, IReadOnlyList<bool> feasible)
    {
        var weights = new double[losses.Count];
        var feasibleIndices = Enumerable.Range(0, losses.Count).Where(i => feasible[i]).ToArray();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = Epsilon;
        }

        if (feasibleIndices.Length == 1)
        {
            weights[feasibleIndices[0]] = 1;
        }

        if (feasibleIndices.Length <= 1)
        {
            return weights;
        }

        var points = feasibleIndices.Select(i => losses[i]).ToArray();
        var reference = ReferencePoint(points);
        if (!reference.All(double.IsFinite))
        {
            return weights;
        }

        var directions = Enumerable.Repeat(ObjectiveDirection.Minimize, reference.Length).ToArray();
        var total = Hypervolume.Compute(points, reference, directions);
        var contributions = new double[points.Length];
        for (var k = 0; k < points.Length; k++)
        {
            var others = points.Where((_, j) => j != k).ToArray();
            contributions[k] = Math.Max(0, total - Hypervolume.Compute(others, reference, directions));
        }

        var max = Math.Max(contributions.Max(), Epsilon);
        for (var k = 0; k < points.Length; k++)
        {
            weights[feasibleIndices[k]] = Math.Max(contributions[k] / max, Epsilon);
        }

        return weights;
    }
}
