using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NasKit.SearchSpace.Custom.Internal;
using NasKit.Tensors;

namespace NasKit.SearchSpace.Custom;

/// <summary>
/// Represents a choice of real numbers in <c>[Low, High]</c>: a continuous range (not enumerable), or, with a <see cref="Step"/>, the finite
/// grid <c>Low, Low + Step, …, High</c>.
/// </summary>
/// <remarks>
/// <para>Continuous values are sampled uniformly in <c>[Low, High)</c>, or log-uniformly (<c>e^u</c> with <c>u</c> uniform in
/// <c>[ln Low, ln High)</c>). Grid values are sampled uniformly by index. Values are written with the round-trip format (<c>"R"</c>,
/// invariant culture), so a text form parses back to the same <see cref="double"/>.</para>
/// <para>Grid values are <c>Low + i·Step</c> rounded to 15 significant digits, so a grid of 0.1 reads <c>0.3</c>, not
/// <c>0.30000000000000004</c>; parsing accepts a number within <c>1e-9·Step</c> of a grid value and normalises it to that value.</para>
/// <para>A continuous choice has two neighbours: the value moved down and up by a fixed fraction of the range (of the logarithmic range
/// for log choices), clamped to the bounds; see <see cref="CustomSearchSpaceOptions.FloatNeighborStep"/>.</para>
/// </remarks>
public sealed class FloatChoice : Choice<double>
{
    private readonly int? _count;

    /// <summary>Initializes a new instance of the <see cref="FloatChoice"/> class.</summary>
    /// <param name="label">The label.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound; greater than <paramref name="low"/>.</param>
    /// <param name="step">The grid spacing, or null for a continuous range.</param>
    /// <param name="log">Whether sampling is log-uniform (needs <c>low &gt; 0</c> and no step).</param>
    /// <exception cref="ArgumentException">The bounds, step or log flag break a rule; the message gives the values.</exception>
    public FloatChoice(string label, double low, double high, double? step = null, bool log = false)
        : base(label)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low >= high)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Float choice '{label}': 'low < high' (both finite) must hold, but got low={low}, high={high}."),
                nameof(high));
        }

        if (log && low <= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Float choice '{label}': log sampling needs 'low > 0', but got low={low}."), nameof(log));
        }

        if (step is { } s)
        {
            if (log)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Float choice '{label}': log sampling cannot be combined with a step, but got step={s}."), nameof(log));
            }

            if (!double.IsFinite(s) || s <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(step), s, string.Create(CultureInfo.InvariantCulture, $"Float choice '{label}': 'step > 0' must hold, but got step={s}."));
            }

            var intervals = (high - low) / s;
            var rounded = Math.Round(intervals);
            if (Math.Abs(intervals - rounded) > 1e-9 * Math.Max(1, rounded) || rounded < 1)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Float choice '{label}': the step must fit, '(high - low) / step' must be a whole number, but got low={low}, high={high}, step={s} ({intervals} steps)."),
                    nameof(step));
            }

            if (rounded + 1 > MaxCount)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Float choice '{label}' may have at most {MaxCount} values, but low={low}, high={high}, step={s} give {rounded + 1}."),
                    nameof(step));
            }

            _count = (int)rounded + 1;
        }

        Low = low;
        High = high;
        Step = step;
        Log = log;
    }

    /// <summary>Gets the lower bound.</summary>
    public double Low { get; }

    /// <summary>Gets the upper bound.</summary>
    public double High { get; }

    /// <summary>Gets the grid spacing, or null for a continuous range.</summary>
    public double? Step { get; }

    /// <summary>Gets a value indicating whether sampling is log-uniform.</summary>
    public bool Log { get; }

    /// <inheritdoc/>
    public override int? Count => _count;

    /// <inheritdoc/>
    internal override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"a number in [{TextRules.Format(Low)}, {TextRules.Format(High)}]{(Step is { } s ? " on the grid of step " + TextRules.Format(s) : string.Empty)}{(Log ? " (log scale)" : string.Empty)}");

    /// <inheritdoc/>
    internal override string Signature =>
        "float(" + TextRules.Format(Low) + "," + TextRules.Format(High) + "," + (Step is { } s ? TextRules.Format(s) : "continuous") + "," + (Log ? "log" : "linear") + ")";

    /// <inheritdoc/>
    internal override double DefaultCode => _count is null ? Low : 0;

    /// <inheritdoc/>
    internal override double Decode(double code)
    {
        if (_count is not { } count)
        {
            return code;
        }

        var index = (int)code;
        if (index == count - 1)
        {
            return High;
        }

        var value = Low + (index * Step!.Value);
        return double.Parse(value.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    internal override string Format(double code) => TextRules.Format(Decode(code));

    /// <inheritdoc/>
    internal override double SampleCode(Generator generator)
    {
        if (_count is { } count)
        {
            return generator.NextInt(count);
        }

        var u = generator.NextDouble();
        var value = Log
            ? Math.Exp(Math.Log(Low) + (u * (Math.Log(High) - Math.Log(Low))))
            : Low + (u * (High - Low));
        return Math.Clamp(value, Low, High);
    }

    /// <inheritdoc/>
    internal override bool IsValidCode(double code) =>
        _count is null ? double.IsFinite(code) && code >= Low && code <= High : base.IsValidCode(code);

    /// <inheritdoc/>
    internal override bool TryParse(string text, out double code, [NotNullWhen(false)] out string? reason)
    {
        code = 0;
        reason = null;
        if (!TextRules.TryParseDouble(text, out var value) || value < Low || value > High)
        {
            reason = $"'{Label}' must be {Description}, but got '{text}'";
            return false;
        }

        if (_count is not { } count)
        {
            code = value;
            return true;
        }

        var index = Math.Round((value - Low) / Step!.Value);
        if (index < 0 || index >= count || Math.Abs(value - Decode(index)) > 1e-9 * Step.Value)
        {
            reason = $"'{Label}' must be {Description}, but got '{text}', which is not on the grid";
            return false;
        }

        code = index;
        return true;
    }

    /// <inheritdoc/>
    internal override IEnumerable<double> NeighborCodes(double code, double floatStep)
    {
        if (_count is not null)
        {
            return base.NeighborCodes(code, floatStep);
        }

        double down, up;
        if (Log)
        {
            var delta = floatStep * (Math.Log(High) - Math.Log(Low));
            (down, up) = (Math.Exp(Math.Log(code) - delta), Math.Exp(Math.Log(code) + delta));
        }
        else
        {
            var delta = floatStep * (High - Low);
            (down, up) = (code - delta, code + delta);
        }

        down = Math.Clamp(down, Low, High);
        up = Math.Clamp(up, Low, High);
        var result = new List<double>(2);
        if (down != code)
        {
            result.Add(down);
        }

        if (up != code && up != down)
        {
            result.Add(up);
        }

        return result;
    }

    /// <inheritdoc/>
    internal override IEnumerable<double> RepresentativeCodes() =>
        _count is null ? [Low, Log ? Math.Sqrt(Low * High) : (Low + High) / 2, High] : base.RepresentativeCodes();
}
