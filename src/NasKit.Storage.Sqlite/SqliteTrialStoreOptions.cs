namespace NasKit.Storage.Sqlite;

/// <summary>Configures a <see cref="SqliteTrialStore"/>: how long to wait for a file locked by another writer, how to retry, and the clock.</summary>
/// <remarks>
/// Waiting happens in two layers. SQLite's own busy handler waits up to <see cref="BusyTimeout"/> for a lock held by another
/// connection; if an operation still reports SQLITE_BUSY or SQLITE_LOCKED, the store rolls the whole operation back and runs it again,
/// up to <see cref="RetryCount"/> more times, sleeping an exponentially growing, jittered delay between attempts.
/// </remarks>
public sealed class SqliteTrialStoreOptions
{
    /// <summary>The largest accepted <see cref="RetryCount"/>.</summary>
    internal const int MaxRetryCount = 1000;

    /// <summary>Gets or sets how long one statement waits for another connection's lock before reporting the file busy.</summary>
    /// <value>The default value is 5 seconds.</value>
    /// <remarks>It is SQLite's busy timeout; the driver (Microsoft.Data.Sqlite) also re-runs a busy statement for its command timeout,
    /// which counts whole seconds and is set to this value rounded up, at least 1 second.</remarks>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many times an operation that found the file busy is rolled back and run again before the error surfaces.</summary>
    /// <value>The default value is 10.</value>
    public int RetryCount { get; set; } = 10;

    /// <summary>Gets or sets the delay before the first retry; each further retry doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    /// <value>The default value is 10 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the seed of the jitter applied to retry delays (each delay is drawn uniformly from [d/2, d] for the backoff d).
    /// </summary>
    /// <value>The default value is null: the seed is derived from the process id and a per-process count of opened stores, so that
    /// workers sharing a file back off differently. Jitter only affects timing, never what is stored; set a seed to make retry timing
    /// reproducible. Delays are real time (<see cref="Thread.Sleep(TimeSpan)"/>), independent of <see cref="TimeProvider"/>.</value>
    public long? RetryJitterSeed { get; set; }

    /// <summary>Gets or sets the clock for trial timestamps (start, heartbeat, finish) and lease expiry.</summary>
    /// <value>The default value is null: the system clock.</value>
    public TimeProvider? TimeProvider { get; set; }
}
