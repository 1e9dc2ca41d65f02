using System.Globalization;

namespace NasKit.Objectives.Internal;

/// <summary>Argument checks shared by the Pareto machinery; messages state the rule and the actual values.</summary>
internal static class ParetoGuard
{
    public static double[] Signs(IReadOnlyList<ObjectiveDirection> directions, string parameterName)
    {
        if (directions.Count == 0)
        {
            throw new ArgumentException("At least one objective direction is needed, but got none.", parameterName);
        }

        var signs = new double[directions.Count];
        for (var k = 0; k < signs.Length; k++)
        {
            signs[k] = directions[k] switch
            {
                ObjectiveDirection.Minimize => 1.0,
                ObjectiveDirection.Maximize => -1.0,
                _ => throw new ArgumentException($"directions[{k}] must be Minimize or Maximize, but got {(int)directions[k]}.", parameterName),
            };
        }

        return signs;
    }

    public static void CheckVector(ReadOnlySpan<double> vector, int objectives, string parameterName)
    {
        if (vector.Length != objectives)
        {
            throw new ArgumentException(
                $"Every objective vector must have one value per objective ({objectives}), but {parameterName} has {vector.Length}.", parameterName);
        }

        for (var k = 0; k < vector.Length; k++)
        {
            if (double.IsNaN(vector[k]))
            {
                throw new ArgumentException($"Objective values must not be NaN, but {parameterName}[{k}] is NaN.", parameterName);
            }
        }
    }

    public static void CheckPoints(IReadOnlyList<double[]> points, int objectives, string parameterName)
    {
        for (var i = 0; i < points.Count; i++)
        {
            CheckPoint(points[i], i, objectives, parameterName);
        }
    }

    public static void CheckPoint(double[]? point, int index, int objectives, string parameterName)
    {
        if (point is null)
        {
            throw new ArgumentException($"{parameterName}[{index}] is null.", parameterName);
        }

        if (point.Length != objectives)
        {
            throw new ArgumentException(
                $"Every point must have one value per objective ({objectives}), but {parameterName}[{index}] has {point.Length}.", parameterName);
        }

        for (var k = 0; k < point.Length; k++)
        {
            if (double.IsNaN(point[k]))
            {
                throw new ArgumentException($"Objective values must not be NaN, but {parameterName}[{index}][{k}] is NaN.", parameterName);
            }
        }
    }

    public static double[]? Violations(IReadOnlyList<double>? violations, int count, string parameterName)
    {
        if (violations is null)
        {
            return null;
        }

        if (violations.Count != count)
        {
            throw new ArgumentException(
                $"There must be one violation per point ({count}), but got {violations.Count}.", parameterName);
        }

        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            CheckViolation(violations[i], $"{parameterName}[{i.ToString(CultureInfo.InvariantCulture)}]");
            result[i] = Math.Max(0, violations[i]);
        }

        return result;
    }

    public static void CheckViolation(double violation, string parameterName)
    {
        if (double.IsNaN(violation))
        {
            throw new ArgumentException($"A constraint violation must not be NaN, but {parameterName} is NaN.", parameterName);
        }
    }
}
