using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasKit.Objectives.Internal;
using NasKit.SearchSpace;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Fails an evaluation that runs longer than a wall-clock budget: the inner evaluator receives a token cancelled when the budget runs
/// out, and the trial fails with <see cref="EvaluationFailedException"/>.
/// </summary>
/// <remarks>
/// <para>The inner token is linked to the caller's: cancelling the caller still surfaces as <see cref="OperationCanceledException"/>,
/// only the budget's own cancellation becomes a failure. A result that the inner evaluator returns after the budget ran out (because
/// it did not observe the token in time) is also a failure: the budget is a rule, not a hint.</para>
/// <para>Time is read from the injected <see cref="TimeProvider"/>, so tests can drive it.</para>
/// </remarks>
public sealed class TimeBudgetEvaluator : DelegatingEvaluator
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="TimeBudgetEvaluator"/> class.</summary>
    /// <param name="inner">The evaluator to limit.</param>
    /// <param name="budget">The wall-clock budget of one evaluation; positive.</param>
    /// <param name="timeProvider">The clock; null uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Receives a warning when a budget runs out; null logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is not positive.</exception>
    public TimeBudgetEvaluator(IEvaluator inner, TimeSpan budget, TimeProvider? timeProvider = null, ILogger<TimeBudgetEvaluator>? logger = null)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        Budget = budget;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Gets the wall-clock budget of one evaluation.</summary>
    public TimeSpan Budget { get; }

    /// <inheritdoc/>
    public override async ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var budget = new CancellationTokenSource(Budget, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        EvaluationResult result;
        try
        {
            result = await Inner.EvaluateAsync(architecture, reporter, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Exceeded(e);
        }

        return budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? throw Exceeded(null) : result;
    }

    private EvaluationFailedException Exceeded(Exception? cause)
    {
        _logger.TimeBudgetExceeded(Budget.TotalSeconds);
        var message = $"The evaluation exceeded its time budget of {Budget.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.";
        return cause is null ? new EvaluationFailedException(message) : new EvaluationFailedException(message, cause);
    }
}
