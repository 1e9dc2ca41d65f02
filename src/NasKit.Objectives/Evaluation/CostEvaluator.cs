using NasKit.Hardware;
using NasKit.SearchSpace;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Evaluates architectures by their hardware cost, without training: parameters, MACs, peak activation memory and model size, counted
/// by <see cref="CostCounter"/> on the network the space builds.
/// </summary>
/// <remarks>
/// Metrics: <see cref="StandardMetrics.Parameters"/>, <see cref="StandardMetrics.Macs"/>, <see cref="StandardMetrics.PeakActivationBytes"/>
/// and <see cref="StandardMetrics.ModelBytes"/> (float32), with the counting convention of <see cref="ModelCost"/>. The counting runs
/// synchronously on the calling thread (one forward pass of the built network) and does not report to the reporter.
/// </remarks>
public sealed class CostEvaluator : IEvaluator
{
    private static readonly string[] s_metricNames =
        [StandardMetrics.Parameters, StandardMetrics.Macs, StandardMetrics.PeakActivationBytes, StandardMetrics.ModelBytes];

    private readonly ISearchSpace _space;
    private readonly CostCountingOptions? _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="CostEvaluator"/> class.</summary>
    /// <param name="space">The space that builds the architectures' networks.</param>
    /// <param name="options">The counting options (batch size, bytes per element); null uses the defaults.</param>
    /// <param name="timeProvider">The clock for <see cref="EvaluationResult.Duration"/>; null uses <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="space"/> is null.</exception>
    public CostEvaluator(ISearchSpace space, CostCountingOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> MetricNames => s_metricNames;

    /// <inheritdoc/>
    /// <exception cref="IncompatibleArchitectureException">The architecture belongs to another space.</exception>
    public ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(reporter);
        cancellationToken.ThrowIfCancellationRequested();
        if (!string.Equals(architecture.SpaceName, _space.Name, StringComparison.Ordinal))
        {
            throw new IncompatibleArchitectureException(_space.Name, architecture, nameof(architecture));
        }

        var start = _timeProvider.GetTimestamp();
        var cost = CostCounter.Count(_space, architecture, _options);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [StandardMetrics.Parameters] = cost.Parameters,
            [StandardMetrics.Macs] = cost.Macs,
            [StandardMetrics.PeakActivationBytes] = cost.PeakActivationBytes,
            [StandardMetrics.ModelBytes] = cost.ModelBytesFloat32,
        };
        return ValueTask.FromResult(new EvaluationResult(metrics, _timeProvider.GetElapsedTime(start)));
    }
}
