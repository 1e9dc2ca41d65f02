namespace NasKit.Objectives.Evaluation;

/// <summary>Configures a <see cref="RetryingEvaluator"/>: how many times to retry, which failures to retry, how long to wait between attempts.</summary>
public sealed class RetryingEvaluatorOptions
{
    /// <summary>The default number of retries after the first attempt.</summary>
    public const int DefaultMaxRetries = 2;

    internal const int MaxRetriesLimit = 100;

    /// <summary>Gets or sets how many times a failed evaluation is retried after the first attempt, 0 to 100.</summary>
    /// <value>The default value is 2 (<see cref="DefaultMaxRetries"/>), so at most three attempts.</value>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>Gets or sets the wait before each retry.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets which failures are retried, or null for the default policy.</summary>
    /// <value>The default value is null: retry <see cref="EvaluationFailedException"/>, <see cref="IOException"/> and
    /// <see cref="TimeoutException"/>, which may pass on another attempt; let every other exception (usage errors) through at once.
    /// Cancellation (<see cref="OperationCanceledException"/>) and pruning (<see cref="TrialPrunedException"/>) are never retried,
    /// whatever this predicate says.</value>
    public Func<Exception, bool>? ShouldRetry { get; set; }

    /// <summary>Gets or sets the clock the delay waits on; null uses <see cref="TimeProvider.System"/>.</summary>
    /// <value>The default value is null.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Checks the options and returns every problem (none when valid).</summary>
    /// <returns>The problems, each stating the rule and the actual value.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            errors.Add($"'0 <= MaxRetries <= {MaxRetriesLimit}' must hold, but got MaxRetries={MaxRetries}.");
        }

        if (Delay < TimeSpan.Zero)
        {
            errors.Add($"'Delay >= 0' must hold, but got Delay={Delay}.");
        }

        return errors;
    }
}
