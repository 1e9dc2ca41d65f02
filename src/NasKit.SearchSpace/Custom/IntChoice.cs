using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NasKit.Tensors;

namespace NasKit.SearchSpace.Custom;

/// <summary>Represents a choice of integers <c>Low, Low + Step, …, High</c>, sampled uniformly or log-uniformly.</summary>
/// <remarks>
/// Log-uniform sampling draws <c>u</c> uniformly in <c>[ln(Low - 0.5), ln(High + 0.5))</c> and rounds <c>e^u</c> to the nearest integer, so
/// each integer <c>k</c> has probability proportional to <c>ln((k + 0.5) / (k - 0.5))</c>: about <c>1/k</c>.
/// </remarks>
public sealed class IntChoice : Choice<int>
{
    /// <summary>Initializes a new instance of the <see cref="IntChoice"/> class.</summary>
    /// <param name="label">The label.</param>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">The largest value; greater than <paramref name="low"/>.</param>
    /// <param name="step">The spacing; positive, dividing <c>high - low</c>.</param>
    /// <param name="log">Whether sampling is log-uniform (needs <c>low &gt; 0</c> and <c>step = 1</c>).</param>
    /// <exception cref="ArgumentException">The bounds, step or log flag break a rule; the message gives the values.</exception>
    public IntChoice(string label, int low, int high, int step = 1, bool log = false)
        : base(label)
    {
        if (low >= high)
        {
            throw new ArgumentException($"Int choice '{label}': 'low < high' must hold, but got low={low}, high={high}.", nameof(high));
        }

        if (step <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Int choice '{label}': 'step > 0' must hold, but got step={step}.");
        }

        var span = (long)high - low;
        if (span % step != 0)
        {
            throw new ArgumentException($"Int choice '{label}': the step must fit, '(high - low) % step == 0', but got low={low}, high={high}, step={step}.", nameof(step));
        }

        if (log && low <= 0)
        {
            throw new ArgumentException($"Int choice '{label}': log sampling needs 'low > 0', but got low={low}.", nameof(log));
        }

        if (log && step != 1)
        {
            throw new ArgumentException($"Int choice '{label}': log sampling needs 'step == 1', but got step={step}.", nameof(log));
        }

        var count = span / step + 1;
        if (count > MaxCount)
        {
            throw new ArgumentException($"Int choice '{label}' may have at most {MaxCount} values, but low={low}, high={high}, step={step} give {count}.", nameof(high));
        }

        Low = low;
        High = high;
        Step = step;
        Log = log;
        Count = (int)count;
    }

    /// <summary>Gets the smallest value.</summary>
    public int Low { get; }

    /// <summary>Gets the largest value.</summary>
    public int High { get; }

    /// <summary>Gets the spacing of the values.</summary>
    public int Step { get; }

    /// <summary>Gets a value indicating whether sampling is log-uniform.</summary>
    public bool Log { get; }

    /// <inheritdoc/>
    public override int? Count { get; }

    /// <inheritdoc/>
    internal override string Description =>
        string.Create(CultureInfo.InvariantCulture, $"an integer in [{Low}, {High}]{(Step == 1 ? string.Empty : $" with step {Step}")}");

    /// <inheritdoc/>
    internal override string Signature => string.Create(CultureInfo.InvariantCulture, $"int({Low},{High},{Step},{Log})");

    /// <inheritdoc/>
    internal override int Decode(double code) => Low + ((int)code * Step);

    /// <inheritdoc/>
    internal override string Format(double code) => Decode(code).ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    internal override double SampleCode(Generator generator)
    {
        if (!Log)
        {
            return generator.NextInt(Count!.Value);
        }

        var lo = Math.Log(Low - 0.5);
        var hi = Math.Log(High + 0.5);
        var value = (long)Math.Round(Math.Exp(lo + (generator.NextDouble() * (hi - lo))), MidpointRounding.AwayFromZero);
        return Math.Clamp(value, Low, High) - Low;
    }

    /// <inheritdoc/>
    internal override bool TryParse(string text, out double code, [NotNullWhen(false)] out string? reason)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= Low && value <= High && ((long)value - Low) % Step == 0)
        {
            code = ((long)value - Low) / Step;
            reason = null;
            return true;
        }

        code = 0;
        reason = $"'{Label}' must be {Description}, but got '{text}'";
        return false;
    }
}
