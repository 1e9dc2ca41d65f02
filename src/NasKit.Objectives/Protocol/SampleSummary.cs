using System.Globalization;

namespace NasKit.Objectives.Protocol;

/// <summary>Summarises repeated measurements (for example final test accuracies over seeds): count, mean, standard deviation, extremes.</summary>
/// <remarks>The standard deviation is the sample one (divisor <c>n − 1</c>, as pandas' <c>std()</c> that the paper's notebook uses), and 0
/// for a single value.</remarks>
/// <param name="Count">The number of values.</param>
/// <param name="Mean">The arithmetic mean.</param>
/// <param name="StandardDeviation">The sample standard deviation (divisor <c>n − 1</c>; 0 when there is one value).</param>
/// <param name="Minimum">The smallest value.</param>
/// <param name="Maximum">The largest value.</param>
public sealed record SampleSummary(int Count, double Mean, double StandardDeviation, double Minimum, double Maximum)
{
    /// <summary>Summarises a set of values.</summary>
    /// <param name="values">The values: at least one, all finite.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no values, or a value is not finite.</exception>
    public static SampleSummary Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A summary needs at least one value, but got none.", nameof(values));
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"Every value must be finite, but values[{i}]={values[i].ToString(CultureInfo.InvariantCulture)}.", nameof(values));
            }
        }

        var mean = values.Average();
        var squares = 0.0;
        foreach (var value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        var std = values.Count > 1 ? Math.Sqrt(squares / (values.Count - 1)) : 0.0;
        return new SampleSummary(values.Count, mean, std, values.Min(), values.Max());
    }

    /// <summary>Returns <c>mean ± std (n=count)</c> with the given number of decimals, in invariant culture.</summary>
    /// <param name="decimals">The decimals of the mean and standard deviation, 0 to 15.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside [0, 15].</exception>
    public string Format(int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 15);
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {StandardDeviation.ToString(format, CultureInfo.InvariantCulture)} (n={Count.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>Returns <c>mean ± std (n=count)</c> with two decimals, in invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Format(2);
}
