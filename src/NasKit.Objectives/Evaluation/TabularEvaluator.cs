using NasKit.SearchSpace;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Evaluates architectures by looking their metrics up in a <see cref="TabularBenchmark"/>, keyed by the architecture's text form
/// (<see cref="Architecture.ToString"/>) unless another key is chosen: the way strategies are compared on NAS-Bench-201 without
/// training.
/// </summary>
/// <remarks>
/// <para>The metrics are the chosen columns, named after them (for NAS-Bench-201: <c>c10_valid</c>, <c>flops_c10</c>, ...). All chosen
/// columns are parsed when the evaluator is created, so a missing or non-numeric column fails there, not in the middle of a study. An
/// architecture without a row is a usage error (<see cref="KeyNotFoundException"/>, naming the key), not a failed trial.</para>
/// <para>A cost column, when given (for example a recorded training time), becomes <see cref="EvaluationResult.Cost"/>, so a study can
/// charge a simulated budget. The look-up reports nothing to the reporter and never prunes. Thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var table = TabularBenchmark.Load("nb201_all.csv");
/// var evaluator = new TabularEvaluator(table, ["c10_valid", "c10_test", "flops_c10"]);
/// var result = await evaluator.EvaluateAsync(space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"), NullTrialReporter.Instance);
/// </code>
/// </example>
public sealed class TabularEvaluator : IEvaluator
{
    private readonly TabularBenchmark _table;
    private readonly string[] _metricNames;
    private readonly double[][] _metricValues;
    private readonly double[]? _costValues;
    private readonly Func<Architecture, string> _keySelector;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="TabularEvaluator"/> class.</summary>
    /// <param name="table">The benchmark table.</param>
    /// <param name="metricColumns">The numeric columns to return as metrics (at least one; repeats are ignored).</param>
    /// <param name="costColumn">A numeric column to return as <see cref="EvaluationResult.Cost"/>, or null.</param>
    /// <param name="keySelector">Maps an architecture to its key; null uses <see cref="Architecture.ToString"/> (the text form).</param>
    /// <param name="timeProvider">The clock for <see cref="EvaluationResult.Duration"/>; null uses <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> or <paramref name="metricColumns"/> is null.</exception>
    /// <exception cref="ArgumentException">No metric column is given.</exception>
    /// <exception cref="KeyNotFoundException">A column is not in the table; the message lists the columns.</exception>
    /// <exception cref="InvalidDataException">A chosen column holds a cell that is not a number.</exception>
    public TabularEvaluator(
        TabularBenchmark table, IEnumerable<string> metricColumns, string? costColumn = null, Func<Architecture, string>? keySelector = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(metricColumns);
        _metricNames = [.. metricColumns.Distinct(StringComparer.Ordinal)];
        if (_metricNames.Length == 0)
        {
            throw new ArgumentException("At least one metric column is needed, but got none.", nameof(metricColumns));
        }

        _table = table;
        _metricValues = [.. _metricNames.Select(c => table.GetColumn(c, out _))];
        _costValues = costColumn is null ? null : table.GetColumn(costColumn, out _);
        CostColumn = costColumn;
        _keySelector = keySelector ?? (a => a.ToString());
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> MetricNames => _metricNames;

    /// <summary>Gets the column returned as <see cref="EvaluationResult.Cost"/>, or null.</summary>
    public string? CostColumn { get; }

    /// <summary>Gets the table.</summary>
    public TabularBenchmark Table => _table;

    /// <inheritdoc/>
    /// <exception cref="KeyNotFoundException">No row has the architecture's key; the message names the key and the table.</exception>
    public ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(reporter);
        cancellationToken.ThrowIfCancellationRequested();
        var start = _timeProvider.GetTimestamp();
        var key = _keySelector(architecture);
        if (!_table.TryGetRow(key, out var row))
        {
            throw new KeyNotFoundException(
                $"{_table.Source}: no row has '{key}' in key column '{_table.KeyColumn}' ({_table.Count} rows); the architecture is from space " +
                $"'{architecture.SpaceName}'. Check that the table belongs to that space and that the key is the architecture's exact text form.");
        }

        var metrics = new Dictionary<string, double>(_metricNames.Length, StringComparer.Ordinal);
        for (var m = 0; m < _metricNames.Length; m++)
        {
            metrics[_metricNames[m]] = _metricValues[m][row];
        }

        var result = new EvaluationResult(metrics, _timeProvider.GetElapsedTime(start), _costValues?[row]);
        return ValueTask.FromResult(result);
    }
}
