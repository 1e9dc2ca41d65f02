using NasKit.Hardware;
using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;

namespace NasKit.Quickstart;

/// <summary>
/// A composite evaluator: counts an architecture's MACs and parameters with <see cref="CostCounter"/> (no training), then trains it with
/// a <see cref="TrainingEvaluator"/>, and returns both sets of metrics in one result.
/// </summary>
internal sealed class AccuracyAndMacsEvaluator : IEvaluator
{
    private readonly ISearchSpace _space;
    private readonly TrainingEvaluator _training;
    private readonly string[] _metricNames;

    public AccuracyAndMacsEvaluator(ISearchSpace space, TrainingEvaluator training)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(training);
        _space = space;
        _training = training;
        _metricNames = [.. training.MetricNames, StandardMetrics.Macs, StandardMetrics.Parameters];
    }

    public IReadOnlyList<string> MetricNames => _metricNames;

    public async ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var cost = CostCounter.Count(_space, architecture); // one forward pass of a fresh network: milliseconds
        var trained = await _training.EvaluateAsync(architecture, reporter, cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(trained.Metrics, StringComparer.Ordinal)
        {
            [StandardMetrics.Macs] = cost.Macs,
            [StandardMetrics.Parameters] = cost.Parameters,
        };
        return new EvaluationResult(metrics, trained.Duration);
    }
}
