using System.Globalization;

namespace NasKit.Objectives;

/// <summary>
/// Represents a constraint on one metric, <c>metric &lt;= bound</c> or <c>metric &gt;= bound</c>, with Optuna's convention for its
/// violation: a candidate is feasible when <see cref="Violation(double)"/> is at most 0.
/// </summary>
/// <remarks>
/// <para>The violation is signed: <c>metric − bound</c> for <c>&lt;=</c> and <c>bound − metric</c> for <c>&gt;=</c>, so it is how far the
/// metric lies beyond the bound (positive, infeasible) or how much slack is left (negative or zero, feasible).
/// <see cref="TotalViolation"/> adds the positive parts over several constraints; constraint-domination
/// (<see cref="Pareto.Dominance.ConstrainedDominates"/>) compares infeasible candidates by that total.</para>
/// <para>Instances are immutable and compare by value. The text form (<see cref="ToString"/>, <see cref="Parse"/>) is
/// <c>NAME&lt;=BOUND</c> or <c>NAME&gt;=BOUND</c> with the bound in invariant culture.</para>
/// </remarks>
public sealed record Constraint
{
    /// <summary>Initializes a new instance of the <see cref="Constraint"/> class.</summary>
    /// <param name="metricName">The metric the constraint reads; not empty or white space.</param>
    /// <param name="comparison">How the metric is compared with the bound.</param>
    /// <param name="bound">The bound; finite.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metricName"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="metricName"/> is empty or white space, or <paramref name="bound"/> is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="comparison"/> is not a defined value.</exception>
    public Constraint(string metricName, ConstraintComparison comparison, double bound)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricName);
        if (comparison is not (ConstraintComparison.LessThanOrEqual or ConstraintComparison.GreaterThanOrEqual))
        {
            throw new ArgumentOutOfRangeException(
                nameof(comparison), comparison, $"The comparison must be LessThanOrEqual or GreaterThanOrEqual, but got {(int)comparison}.");
        }

        if (!double.IsFinite(bound))
        {
            throw new ArgumentException($"The bound of the constraint on '{metricName}' must be finite, but got {Format(bound)}.", nameof(bound));
        }

        MetricName = metricName;
        Comparison = comparison;
        Bound = bound;
    }

    /// <summary>Gets the metric the constraint reads.</summary>
    public string MetricName { get; }

    /// <summary>Gets how the metric is compared with the bound.</summary>
    public ConstraintComparison Comparison { get; }

    /// <summary>Gets the bound.</summary>
    public double Bound { get; }

    /// <summary>Creates the constraint <c>metric &lt;= bound</c>.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <param name="bound">The largest feasible value.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentException">See the constructor.</exception>
    public static Constraint AtMost(string metricName, double bound) => new(metricName, ConstraintComparison.LessThanOrEqual, bound);

    /// <summary>Creates the constraint <c>metric &gt;= bound</c>.</summary>
    /// <param name="metricName">The metric name.</param>
    /// <param name="bound">The smallest feasible value.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentException">See the constructor.</exception>
    public static Constraint AtLeast(string metricName, double bound) => new(metricName, ConstraintComparison.GreaterThanOrEqual, bound);

    /// <summary>Parses <c>NAME&lt;=BOUND</c> or <c>NAME&gt;=BOUND</c> (also <c>≤</c>/<c>≥</c>; white space around the parts is ignored).</summary>
    /// <param name="text">The text, for example <c>macs&lt;=5e7</c>.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not of that form; the message says which part is wrong.</exception>
    public static Constraint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var constraint, out var error) ? constraint : throw new FormatException(error);
    }

    /// <summary>Parses <c>NAME&lt;=BOUND</c> or <c>NAME&gt;=BOUND</c> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="constraint">The constraint, when the text is valid.</param>
    /// <returns>Whether the text is valid.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Constraint? constraint)
    {
        if (text is not null && TryParseCore(text, out var parsed, out _))
        {
            constraint = parsed;
            return true;
        }

        constraint = null;
        return false;
    }

    /// <summary>Adds the positive parts of the violations of several constraints: 0 when every constraint is satisfied.</summary>
    /// <param name="constraints">The constraints.</param>
    /// <param name="metrics">The metrics by name.</param>
    /// <returns>The total violation, at least 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="KeyNotFoundException">A constraint's metric is missing.</exception>
    /// <exception cref="ArgumentException">A constraint's metric is NaN.</exception>
    public static double TotalViolation(IEnumerable<Constraint> constraints, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        ArgumentNullException.ThrowIfNull(metrics);
        var total = 0.0;
        foreach (var constraint in constraints)
        {
            total += Math.Max(0, constraint.Violation(metrics));
        }

        return total;
    }

    /// <summary>Computes the signed violation for a metric value: how far it lies beyond the bound (feasible when at most 0).</summary>
    /// <param name="value">The metric value.</param>
    /// <returns><c>value − bound</c> for <c>&lt;=</c>, <c>bound − value</c> for <c>&gt;=</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN.</exception>
    public double Violation(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException($"Constraint '{this}' cannot judge a NaN value of '{MetricName}'.", nameof(value));
        }

        return Comparison == ConstraintComparison.LessThanOrEqual ? value - Bound : Bound - value;
    }

    /// <summary>Computes the signed violation for the constraint's metric in a metrics dictionary.</summary>
    /// <param name="metrics">The metrics by name.</param>
    /// <returns>The violation (feasible when at most 0).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metrics"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The metric is missing; the message lists the names present.</exception>
    /// <exception cref="ArgumentException">The metric is NaN.</exception>
    public double Violation(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGetValue(MetricName, out var value))
        {
            throw new KeyNotFoundException(
                $"Constraint '{this}' needs a metric named '{MetricName}', but the metrics hold only [{string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal))}].");
        }

        return Violation(value);
    }

    /// <summary>Returns whether the constraint's metric satisfies the bound.</summary>
    /// <param name="metrics">The metrics by name.</param>
    /// <returns>Whether the violation is at most 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="metrics"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The metric is missing.</exception>
    /// <exception cref="ArgumentException">The metric is NaN.</exception>
    public bool IsSatisfied(IReadOnlyDictionary<string, double> metrics) => Violation(metrics) <= 0;

    /// <summary>Returns the text form <c>NAME&lt;=BOUND</c> or <c>NAME&gt;=BOUND</c> that <see cref="Parse"/> reads back exactly.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => MetricName + (Comparison == ConstraintComparison.LessThanOrEqual ? "<=" : ">=") + Format(Bound);

    private static bool TryParseCore(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Constraint? constraint, out string error)
    {
        constraint = null;
        const string Expected = "A constraint must have the form 'NAME<=BOUND' or 'NAME>=BOUND' (for example 'macs<=5e7')";
        var (at, length, comparison) = FindOperator(text);
        if (at < 0)
        {
            var single = text.IndexOfAny(['<', '>', '=']);
            error = single < 0
                ? $"{Expected}, but '{text}' has no '<=' or '>='."
                : $"{Expected}, but '{text}' has '{text[single]}' at position {single}; only '<=' and '>=' are allowed (a bound is inclusive).";
            return false;
        }

        var name = text[..at].Trim();
        var boundText = text[(at + length)..].Trim();
        if (name.Length == 0)
        {
            error = $"{Expected}, but '{text}' has no metric name before the operator.";
            return false;
        }

        if (name.IndexOfAny(['<', '>', '=', '≤', '≥']) >= 0 || boundText.IndexOfAny(['<', '>', '=', '≤', '≥']) >= 0)
        {
            error = $"{Expected}, but '{text}' has more than one comparison operator.";
            return false;
        }

        if (!double.TryParse(boundText, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
        {
            error = $"{Expected}, but the bound '{boundText}' of '{text}' is not a number (invariant culture, for example 5e7 or 0.25).";
            return false;
        }

        if (!double.IsFinite(bound))
        {
            error = $"{Expected}, but the bound of '{text}' must be finite, and got {Format(bound)}.";
            return false;
        }

        constraint = new Constraint(name, comparison, bound);
        error = string.Empty;
        return true;
    }

    private static (int At, int Length, ConstraintComparison Comparison) FindOperator(string text)
    {
        var le = text.IndexOf("<=", StringComparison.Ordinal);
        var ge = text.IndexOf(">=", StringComparison.Ordinal);
        var leUnicode = text.IndexOf('≤');
        var geUnicode = text.IndexOf('≥');
        (int At, int Length, ConstraintComparison Comparison) best = (-1, 0, ConstraintComparison.LessThanOrEqual);
        foreach (var candidate in new[]
        {
            (le, 2, ConstraintComparison.LessThanOrEqual),
            (ge, 2, ConstraintComparison.GreaterThanOrEqual),
            (leUnicode, 1, ConstraintComparison.LessThanOrEqual),
            (geUnicode, 1, ConstraintComparison.GreaterThanOrEqual),
        })
        {
            if (candidate.Item1 >= 0 && (best.At < 0 || candidate.Item1 < best.At))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
