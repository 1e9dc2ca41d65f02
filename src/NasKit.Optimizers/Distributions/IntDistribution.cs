using System.Globalization;
using System.Text.Json;

namespace NasKit.Optimizers.Distributions;

/// <summary>Represents an integer hyper-parameter in [<see cref="Low"/>, <see cref="High"/>] on a grid of <see cref="Step"/>, optionally
/// searched in log space (Optuna's <c>IntDistribution</c>).</summary>
/// <remarks>
/// <para>Rules, as Optuna's: low ≤ high; step ≥ 1; log and a step other than 1 are exclusive; a log range needs low ≥ 1.</para>
/// <para>When (high − low) is not a multiple of step, <see cref="High"/> is adjusted <b>down</b> to the largest value of the grid
/// low, low + step, … that does not exceed the requested high, as Optuna does: <c>new IntDistribution(0, 10, step: 3).High</c> is 9.</para>
/// </remarks>
public sealed record IntDistribution : ParameterDistribution
{
    /// <summary>Initializes a new instance of the <see cref="IntDistribution"/> class.</summary>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value requested (adjusted down onto the step grid).</param>
    /// <param name="step">The grid step, at least 1.</param>
    /// <param name="log">Whether the range is searched in log space (then step must be 1 and low at least 1).</param>
    /// <exception cref="ArgumentException">A rule above is broken; the message states it with the values given.</exception>
    public IntDistribution(int low, int high, int step = 1, bool log = false)
    {
        if (step < 1)
        {
            throw new ArgumentException($"'step >= 1' must hold for an integer parameter, but got step={step}.", nameof(step));
        }

        if (log && step != 1)
        {
            throw new ArgumentException($"'log' and 'step' are exclusive: a log integer parameter needs step=1, but got step={step}.", nameof(step));
        }

        if (low > high)
        {
            throw new ArgumentException($"'low <= high' must hold, but got low={low}, high={high}.", nameof(low));
        }

        if (log && low < 1)
        {
            throw new ArgumentException($"'low >= 1' must hold for a log integer parameter, but got low={low}, high={high}.", nameof(low));
        }

        Low = low;
        High = (int)(low + ((((long)high - low) / step) * step));
        Step = step;
        Log = log;
    }

    /// <summary>Gets the smallest value.</summary>
    public int Low { get; }

    /// <summary>Gets the largest value (on the step grid).</summary>
    public int High { get; }

    /// <summary>Gets the grid step.</summary>
    public int Step { get; }

    /// <summary>Gets whether the range is searched in log space.</summary>
    public bool Log { get; }

    /// <inheritdoc/>
    public override bool IsSingle => Low == High;

    /// <inheritdoc/>
    public override bool Contains(double value) =>
        value >= Low && value <= High && Math.Floor(value) == value && ((long)value - Low) % Step == 0;

    /// <inheritdoc/>
    public override object ToExternal(double value) =>
        Contains(value) ? (int)value : throw new ArgumentOutOfRangeException(nameof(value), value, $"The value {Format(value)} is not in {this}.");

    /// <summary>Returns a short text such as <c>int [1, 9] step 2</c> or <c>int [1, 1000] log</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"int [{Low}, {High}]{(Step != 1 ? $" step {Step}" : string.Empty)}{(Log ? " log" : string.Empty)}");

    /// <inheritdoc/>
    private protected override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteString("type", "int");
        writer.WriteNumber("low", Low);
        writer.WriteNumber("high", High);
        writer.WriteNumber("step", Step);
        writer.WriteBoolean("log", Log);
    }
}
