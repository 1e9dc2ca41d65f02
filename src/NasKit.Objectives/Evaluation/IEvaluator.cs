using NasKit.SearchSpace;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Represents the evaluator role: scores one architecture and returns its metrics (trained accuracy, cost, table look-up, ...).
/// </summary>
/// <remarks>
/// <para><b>Outcomes.</b> A successful evaluation returns an <see cref="EvaluationResult"/> whose metrics hold at least
/// <see cref="MetricNames"/>. A trial that fails for a reason tied to the candidate (a diverging loss, a time budget exceeded) throws
/// <see cref="EvaluationFailedException"/> with the reason — never a sentinel metric. A trial stopped by its pruner throws
/// <see cref="TrialPrunedException"/>. A cancelled evaluation throws <see cref="OperationCanceledException"/>. Other exceptions
/// (unknown architecture, mismatched data) are usage errors and propagate.</para>
/// <para>Cross-cutting behaviour (cache, retry, time budget) is added by decorators deriving from <see cref="DelegatingEvaluator"/>.</para>
/// </remarks>
public interface IEvaluator
{
    /// <summary>Gets the names of the metrics every successful result holds.</summary>
    IReadOnlyList<string> MetricNames { get; }

    /// <summary>Evaluates one architecture.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="reporter">Receives intermediate values and says when to prune; <see cref="NullTrialReporter.Instance"/> outside a study.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="EvaluationFailedException">The evaluation failed for a reason tied to the candidate.</exception>
    /// <exception cref="TrialPrunedException">The reporter asked to prune.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default);
}
