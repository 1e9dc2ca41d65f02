using System.Collections.Frozen;
using System.Globalization;

namespace NasKit.Objectives.Evaluation;

/// <summary>Represents a successful evaluation: metrics by name, how long it took, and optionally what it would have cost.</summary>
/// <remarks>
/// Metrics are never NaN: an evaluation that produced a NaN is a failure (<see cref="EvaluationFailedException"/>), not a result.
/// Instances are immutable; the metrics are copied.
/// </remarks>
public sealed class EvaluationResult
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationResult"/> class.</summary>
    /// <param name="metrics">The metrics by name; names not empty, values not NaN.</param>
    /// <param name="duration">The wall-clock time the evaluation took; not negative.</param>
    /// <param name="cost">The evaluation's cost in the evaluator's own unit (for example the training seconds a tabular benchmark records
    /// for the architecture), or null when there is none; not NaN or negative.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metrics"/> is null.</exception>
    /// <exception cref="ArgumentException">A metric name is empty or a value is NaN, or the cost is NaN or negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public EvaluationResult(IReadOnlyDictionary<string, double> metrics, TimeSpan duration = default, double? cost = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        foreach (var (name, value) in metrics)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("Metric names must not be empty or white space.", nameof(metrics));
            }

            if (double.IsNaN(value))
            {
                throw new ArgumentException(
                    $"Metric '{name}' is NaN; an evaluation that produces a NaN must fail with EvaluationFailedException instead of returning a result.",
                    nameof(metrics));
            }
        }

        if (cost is { } c && (double.IsNaN(c) || c < 0))
        {
            throw new ArgumentException($"The cost must be a non-negative number, but got {c.ToString(CultureInfo.InvariantCulture)}.", nameof(cost));
        }

        Metrics = metrics.ToFrozenDictionary(StringComparer.Ordinal);
        Duration = duration;
        Cost = cost;
    }

    /// <summary>Gets the metrics by name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Gets the wall-clock time the evaluation took (for a cached result, the time of the original evaluation).</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets the evaluation's cost in the evaluator's own unit, or null when there is none.</summary>
    public double? Cost { get; }

    /// <summary>Gets a metric by name.</summary>
    /// <param name="name">The metric name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no such metric; the message lists the names present.</exception>
    public double this[string name] =>
        Metrics.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"The result has no metric '{name}'; it holds [{string.Join(", ", Metrics.Keys.Order(StringComparer.Ordinal))}].");

    /// <summary>Returns the metrics as <c>name=value</c> pairs in ordinal name order, invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Join(", ", Metrics.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value.ToString("R", CultureInfo.InvariantCulture)));
}
