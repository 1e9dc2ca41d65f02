namespace NasKit.Storage.Sqlite.Internal;

/// <summary>Exponential backoff with jitter for operations that found the database busy.</summary>
/// <remarks>
/// The jitter comes from a SplitMix64 stream of an explicit seed (not the ambient clock or a shared generator), so one seed gives one
/// sequence of delays. Not thread-safe: the store calls it under its lock.
/// </remarks>
internal sealed class RetryBackoff
{
    private static long s_instances;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private ulong _state;

    public RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, long seed)
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _state = unchecked((ulong)seed);
    }

    /// <summary>Gets a default seed that differs between processes (process id) and between stores of one process (a counter).</summary>
    public static long DefaultSeed() =>
        unchecked((long)((ulong)Environment.ProcessId * 0x9E3779B97F4A7C15UL) ^ Interlocked.Increment(ref s_instances));

    /// <summary>Gets the delay before retry <paramref name="attempt"/> (from 0): min(max, base * 2^attempt), scaled by a factor in [0.5, 1).</summary>
    public TimeSpan Delay(int attempt)
    {
        var backoff = _baseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(backoff, _maxDelay.Ticks);
        var factor = 0.5 + (0.5 * NextUnit());
        return TimeSpan.FromTicks((long)(capped * factor));
    }

    private double NextUnit()
    {
        // SplitMix64: a full-period 64-bit sequence; the top 53 bits make a double in [0, 1).
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        var z = _state;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
