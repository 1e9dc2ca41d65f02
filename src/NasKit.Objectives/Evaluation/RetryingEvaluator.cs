using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasKit.Objectives.Internal;
using NasKit.SearchSpace;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Retries failed evaluations a bounded number of times under a policy (<see cref="RetryingEvaluatorOptions"/>); never retries a
/// cancelled or pruned trial.
/// </summary>
/// <remarks>When every attempt fails, the last attempt's exception propagates unchanged. Each retry is logged as a warning with the
/// failure.</remarks>
public sealed class RetryingEvaluator : DelegatingEvaluator
{
    private readonly int _maxRetries;
    private readonly TimeSpan _delay;
    private readonly Func<Exception, bool> _shouldRetry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="RetryingEvaluator"/> class.</summary>
    /// <param name="inner">The evaluator to retry.</param>
    /// <param name="options">The policy; null uses the defaults.</param>
    /// <param name="logger">Receives a warning per retry; null logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public RetryingEvaluator(IEvaluator inner, RetryingEvaluatorOptions? options = null, ILogger<RetryingEvaluator>? logger = null)
        : base(inner)
    {
        options ??= new RetryingEvaluatorOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid RetryingEvaluatorOptions: " + string.Join(" ", errors), nameof(options));
        }

        _maxRetries = options.MaxRetries;
        _delay = options.Delay;
        _shouldRetry = options.ShouldRetry ?? IsTransient;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    public override async ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Inner.EvaluateAsync(architecture, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt <= _maxRetries
                                      && e is not (OperationCanceledException or TrialPrunedException)
                                      && !cancellationToken.IsCancellationRequested
                                      && _shouldRetry(e))
            {
                _logger.EvaluationRetrying(e, attempt, _maxRetries + 1);
            }

            if (_delay > TimeSpan.Zero)
            {
                await Task.Delay(_delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception exception) => exception is EvaluationFailedException or IOException or TimeoutException;
}
