using System.Text.Json;

namespace NasKit.Optimizers.Distributions;

/// <summary>Represents a real hyper-parameter in [<see cref="Low"/>, <see cref="High"/>], continuous or on a grid of <see cref="Step"/>,
/// optionally searched in log space (Optuna's <c>FloatDistribution</c>).</summary>
/// <remarks>
/// <para>Rules, as Optuna's: low and high finite with low ≤ high; a step is positive and finite; log and step are exclusive; a log range
/// needs low &gt; 0.</para>
/// <para>With a step, when (high − low) is not a multiple of it, <see cref="High"/> is adjusted <b>down</b> to the last grid point
/// low + k·step not above the requested high, as Optuna does (the division is done in decimal, so <c>(0, 1, step: 0.1)</c> keeps 1).
/// A value lies on the grid when (value − low)/step is within 1e-8 of an integer (Optuna's test).</para>
/// </remarks>
public sealed record FloatDistribution : ParameterDistribution
{
    /// <summary>Initializes a new instance of the <see cref="FloatDistribution"/> class.</summary>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value requested (with a step, adjusted down onto the grid).</param>
    /// <param name="step">The grid step, or null for a continuous range.</param>
    /// <param name="log">Whether the range is searched in log space (then there is no step and low is positive).</param>
    /// <exception cref="ArgumentException">A rule above is broken; the message states it with the values given.</exception>
    public FloatDistribution(double low, double high, double? step = null, bool log = false)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new ArgumentException($"'low' and 'high' must be finite, but got low={Format(low)}, high={Format(high)}.", nameof(low));
        }

        if (low > high)
        {
            throw new ArgumentException($"'low <= high' must hold, but got low={Format(low)}, high={Format(high)}.", nameof(low));
        }

        if (log && step is not null)
        {
            throw new ArgumentException($"'log' and 'step' are exclusive, but got log=true, step={Format(step.Value)}.", nameof(step));
        }

        if (step is { } s && (!(s > 0) || !double.IsFinite(s)))
        {
            throw new ArgumentException($"'step > 0' must hold with step finite, but got step={Format(s)}.", nameof(step));
        }

        if (log && !(low > 0))
        {
            throw new ArgumentException($"'low > 0' must hold for a log parameter, but got low={Format(low)}, high={Format(high)}.", nameof(low));
        }

        Low = low;
        High = step is { } grid ? AdjustHigh(low, high, grid) : high;
        Step = step;
        Log = log;
    }

    /// <summary>Gets the smallest value.</summary>
    public double Low { get; }

    /// <summary>Gets the largest value (on the grid, when there is a step).</summary>
    public double High { get; }

    /// <summary>Gets the grid step, or null for a continuous range.</summary>
    public double? Step { get; }

    /// <summary>Gets whether the range is searched in log space.</summary>
    public bool Log { get; }

    /// <inheritdoc/>
    public override bool IsSingle => Low == High;

    /// <inheritdoc/>
    public override bool Contains(double value)
    {
        if (!(value >= Low && value <= High))
        {
            return false;
        }

        if (Step is not { } step)
        {
            return true;
        }

        var k = (value - Low) / step;
        return Math.Abs(k - Math.Round(k)) < 1e-8;
    }

    /// <inheritdoc/>
    public override object ToExternal(double value) =>
        Contains(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"The value {Format(value)} is not in {this}.");

    /// <summary>Returns a short text such as <c>float [1E-05, 0.1] log</c> or <c>float [0, 1] step 0.25</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"float [{Format(Low)}, {Format(High)}]{(Step is { } s ? " step " + Format(s) : string.Empty)}{(Log ? " log" : string.Empty)}";

    /// <inheritdoc/>
    private protected override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteString("type", "float");
        writer.WriteNumber("low", Low);
        writer.WriteNumber("high", High);
        if (Step is { } s)
        {
            writer.WriteNumber("step", s);
        }
        else
        {
            writer.WriteNull("step");
        }

        writer.WriteBoolean("log", Log);
    }

    private static double AdjustHigh(double low, double high, double step)
    {
        double adjusted;
        if (step >= 1e-12 && Math.Abs(low) < 1e15 && Math.Abs(high) < 1e15 && step < 1e15)
        {
            // Decimal arithmetic, as Optuna does with decimal.Decimal(str(x)): binary rounding must not drop a grid point that is exact in
            // decimal (0.3 − 0 is 3 steps of 0.1).
            var (l, h, s) = ((decimal)low, (decimal)high, (decimal)step);
            adjusted = (double)(l + (Math.Floor((h - l) / s) * s));
        }
        else
        {
            adjusted = low + (Math.Floor(((high - low) / step) + 1e-9) * step);
        }

        // The decimal conversion keeps 15 significant digits; never let it move the bound outside what was asked for.
        return Math.Clamp(adjusted, low, high);
    }
}
