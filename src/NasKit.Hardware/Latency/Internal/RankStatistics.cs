namespace NasKit.Hardware.Latency.Internal;

/// <summary>Rank correlation and relative-error statistics for comparing predicted with measured latencies.</summary>
internal static class RankStatistics
{
    /// <summary>Ranks values from 1; tied values share the mean of the ranks they span (so Spearman's rho stays exact with ties).</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]].Equals(values[order[start]]))
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>Pearson's correlation; NaN when either series is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPair(x, y, minimum: 2);
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Spearman's rank correlation: Pearson's correlation of the (tie-averaged) ranks.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPair(x, y, minimum: 2);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Mean absolute percentage error as a fraction: mean of |predicted − actual| / |actual|.</summary>
    public static double MeanAbsolutePercentageError(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        CheckPair(actual, predicted, minimum: 1);
        double sum = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            if (actual[i] == 0)
            {
                throw new ArgumentException($"MAPE divides by the actual values, so they must be non-zero, but actual[{i}] is 0.", nameof(actual));
            }

            sum += Math.Abs(predicted[i] - actual[i]) / Math.Abs(actual[i]);
        }

        return sum / actual.Count;
    }

    private static void CheckPair(IReadOnlyList<double> x, IReadOnlyList<double> y, int minimum)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Both series must have the same length, but got {x.Count} and {y.Count}.", nameof(y));
        }

        if (x.Count < minimum)
        {
            throw new ArgumentException($"At least {minimum} pairs are needed, but got {x.Count}.", nameof(x));
        }

        for (var i = 0; i < x.Count; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"Every value must be finite, but pair {i} is ({x[i]}, {y[i]}).", nameof(x));
            }
        }
    }
}
