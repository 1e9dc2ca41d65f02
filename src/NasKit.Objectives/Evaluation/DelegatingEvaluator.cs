using NasKit.SearchSpace;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Provides the base of evaluator decorators: it wraps an inner evaluator and, unless overridden, forwards every call to it.
/// </summary>
/// <remarks>Decorators compose: <c>new CachingEvaluator(new RetryingEvaluator(new TimeBudgetEvaluator(inner, budget)))</c> caches
/// results of trials that each get a time budget and a few attempts.</remarks>
public abstract class DelegatingEvaluator : IEvaluator
{
    /// <summary>Initializes a new instance of the <see cref="DelegatingEvaluator"/> class.</summary>
    /// <param name="inner">The evaluator to decorate.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    protected DelegatingEvaluator(IEvaluator inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>Gets the decorated evaluator.</summary>
    public IEvaluator Inner { get; }

    /// <inheritdoc/>
    public virtual IReadOnlyList<string> MetricNames => Inner.MetricNames;

    /// <inheritdoc/>
    public virtual ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default) =>
        Inner.EvaluateAsync(architecture, reporter, cancellationToken);
}
