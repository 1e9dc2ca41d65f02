using System.Globalization;

namespace NasKit.Objectives;

/// <summary>
/// Represents one objective of a study: the name of the metric it reads, whether that metric is minimised or maximised, and optional
/// bounds used to normalise it and to place a hypervolume reference point.
/// </summary>
/// <remarks>
/// <para>The bounds are not constraints: a value outside them is still a valid objective value (use <see cref="Constraint"/> to
/// exclude candidates). <see cref="WorstBound"/> — the upper bound of a minimised objective, the lower bound of a maximised one — is
/// the natural hypervolume reference coordinate.</para>
/// <para>Instances are immutable and compare by value.</para>
/// </remarks>
/// <example>
/// <code>
/// Objective[] objectives = [Objective.Maximize("val_accuracy", lowerBound: 0, upperBound: 1), Objective.Minimize("macs", upperBound: 5e7)];
/// </code>
/// </example>
public sealed record Objective
{
    /// <summary>Initializes a new instance of the <see cref="Objective"/> class.</summary>
    /// <param name="name">The metric name the objective reads (for example <c>val_accuracy</c>); not empty or white space.</param>
    /// <param name="direction">Whether smaller or larger values are better.</param>
    /// <param name="lowerBound">The smallest value the metric is expected to take, or null; finite when given.</param>
    /// <param name="upperBound">The largest value the metric is expected to take, or null; finite when given.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space, a bound is not finite, or
    /// <c>lowerBound &lt; upperBound</c> does not hold.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not a defined value.</exception>
    public Objective(string name, ObjectiveDirection direction, double? lowerBound = null, double? upperBound = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (direction is not (ObjectiveDirection.Minimize or ObjectiveDirection.Maximize))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, $"The direction must be Minimize or Maximize, but got {(int)direction}.");
        }

        if (lowerBound is { } low && !double.IsFinite(low))
        {
            throw new ArgumentException($"The lower bound of objective '{name}' must be finite, but got {Format(low)}.", nameof(lowerBound));
        }

        if (upperBound is { } high && !double.IsFinite(high))
        {
            throw new ArgumentException($"The upper bound of objective '{name}' must be finite, but got {Format(high)}.", nameof(upperBound));
        }

        if (lowerBound is { } l && upperBound is { } u && !(l < u))
        {
            throw new ArgumentException(
                $"'lowerBound < upperBound' must hold for objective '{name}', but got lowerBound={Format(l)}, upperBound={Format(u)}.", nameof(lowerBound));
        }

        Name = name;
        Direction = direction;
        LowerBound = lowerBound;
        UpperBound = upperBound;
    }

    /// <summary>Gets the metric name the objective reads.</summary>
    public string Name { get; }

    /// <summary>Gets whether smaller or larger values are better.</summary>
    public ObjectiveDirection Direction { get; }

    /// <summary>Gets the smallest value the metric is expected to take, or null when not known.</summary>
    public double? LowerBound { get; }

    /// <summary>Gets the largest value the metric is expected to take, or null when not known.</summary>
    public double? UpperBound { get; }

    /// <summary>Gets the worst expected value: the upper bound of a minimised objective, the lower bound of a maximised one (null when
    /// that bound is not given); the natural hypervolume reference coordinate.</summary>
    public double? WorstBound => Direction == ObjectiveDirection.Minimize ? UpperBound : LowerBound;

    /// <summary>Creates an objective whose metric is minimised.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="lowerBound">The smallest expected value, or null.</param>
    /// <param name="upperBound">The largest expected value, or null.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="ArgumentException">See the constructor.</exception>
    public static Objective Minimize(string name, double? lowerBound = null, double? upperBound = null) =>
        new(name, ObjectiveDirection.Minimize, lowerBound, upperBound);

    /// <summary>Creates an objective whose metric is maximised.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="lowerBound">The smallest expected value, or null.</param>
    /// <param name="upperBound">The largest expected value, or null.</param>
    /// <returns>The objective.</returns>
    /// <exception cref="ArgumentException">See the constructor.</exception>
    public static Objective Maximize(string name, double? lowerBound = null, double? upperBound = null) =>
        new(name, ObjectiveDirection.Maximize, lowerBound, upperBound);

    /// <summary>Parses the form <c>NAME:max</c> or <c>NAME:min</c> (also <c>maximize</c>/<c>minimize</c>, any letter case).</summary>
    /// <param name="text">The text, for example <c>val_accuracy:max</c>.</param>
    /// <returns>The objective, without bounds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text does not have the form <c>NAME:max|min</c>.</exception>
    public static Objective Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        var name = colon < 0 ? string.Empty : text[..colon].Trim();
        var direction = colon < 0 ? string.Empty : text[(colon + 1)..].Trim().ToUpperInvariant();
        ObjectiveDirection? parsed = direction switch
        {
            "MAX" or "MAXIMIZE" => ObjectiveDirection.Maximize,
            "MIN" or "MINIMIZE" => ObjectiveDirection.Minimize,
            _ => null,
        };
        if (name.Length == 0 || parsed is null)
        {
            throw new FormatException($"An objective must have the form 'NAME:max' or 'NAME:min', but got '{text}'.");
        }

        return new Objective(name, parsed.Value);
    }

    /// <summary>Reads the objective's value from a metrics dictionary.</summary>
    /// <param name="metrics">The metrics by name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metrics"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The metrics have no entry named <see cref="Name"/>; the message lists the names present.</exception>
    public double GetValue(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGetValue(Name, out var value))
        {
            throw new KeyNotFoundException(
                $"Objective '{Name}' needs a metric named '{Name}', but the metrics hold only [{string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal))}].");
        }

        return value;
    }

    /// <summary>Returns a value as a quantity to minimise: unchanged for a minimised objective, negated for a maximised one.</summary>
    /// <param name="value">The metric value.</param>
    /// <returns>The value oriented for minimisation.</returns>
    public double ToMinimization(double value) => Direction == ObjectiveDirection.Minimize ? value : -value;

    /// <summary>Returns whether <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/> under the direction.</summary>
    /// <param name="candidate">The new value.</param>
    /// <param name="incumbent">The value to beat.</param>
    /// <returns>Whether the candidate is strictly better; false when either value is NaN.</returns>
    public bool IsBetter(double candidate, double incumbent) =>
        Direction == ObjectiveDirection.Minimize ? candidate < incumbent : candidate > incumbent;

    /// <summary>Maps a value to the unit interval by the bounds, oriented for minimisation: the best bound maps to 0, the worst to 1.</summary>
    /// <param name="value">The metric value.</param>
    /// <returns><c>(value − lower) / (upper − lower)</c> for a minimised objective, <c>(upper − value) / (upper − lower)</c> for a
    /// maximised one; outside [0, 1] when the value lies outside the bounds.</returns>
    /// <exception cref="InvalidOperationException">The objective does not have both bounds.</exception>
    public double Normalize(double value)
    {
        if (LowerBound is not { } low || UpperBound is not { } high)
        {
            throw new InvalidOperationException(
                $"Objective '{Name}' needs both bounds to normalise, but got lowerBound={FormatNullable(LowerBound)}, upperBound={FormatNullable(UpperBound)}.");
        }

        return Direction == ObjectiveDirection.Minimize ? (value - low) / (high - low) : (high - value) / (high - low);
    }

    /// <summary>Returns the form <c>NAME:min</c> or <c>NAME:max</c> that <see cref="Parse"/> reads, followed by the bounds when given.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = Name + (Direction == ObjectiveDirection.Minimize ? ":min" : ":max");
        return LowerBound is null && UpperBound is null ? text : $"{text} [{FormatNullable(LowerBound)}, {FormatNullable(UpperBound)}]";
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatNullable(double? value) => value is { } v ? Format(v) : "none";
}
