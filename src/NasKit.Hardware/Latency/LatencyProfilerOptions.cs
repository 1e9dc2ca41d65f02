namespace NasKit.Hardware.Latency;

/// <summary>Configures <see cref="LatencyProfiler"/>.</summary>
public sealed class LatencyProfilerOptions
{
    /// <summary>The default number of untimed runs before each measurement.</summary>
    public const int DefaultWarmupRuns = 3;

    /// <summary>The default number of timed runs per measurement.</summary>
    public const int DefaultRepeats = 15;

    /// <summary>The most timed runs per measurement.</summary>
    internal const int MaxRepeats = 100_000;

    private int _warmupRuns = DefaultWarmupRuns;
    private int _repeats = DefaultRepeats;
    private int? _threads;
    private int _batchSize = 1;

    /// <summary>Gets or sets the untimed runs before each measurement (they fill caches and the storage pool).</summary>
    /// <value>The default value is 3 (<see cref="DefaultWarmupRuns"/>).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above <c>100000</c>.</exception>
    public int WarmupRuns
    {
        get => _warmupRuns;
        set => _warmupRuns = value is >= 0 and <= MaxRepeats ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"The warm-up runs must be in [0, {MaxRepeats}].");
    }

    /// <summary>Gets or sets the timed runs per measurement; the median of them is kept.</summary>
    /// <value>The default value is 15 (<see cref="DefaultRepeats"/>).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [1, 100000].</exception>
    public int Repeats
    {
        get => _repeats;
        set => _repeats = value is >= 1 and <= MaxRepeats ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"The repeats must be in [1, {MaxRepeats}].");
    }

    /// <summary>Gets or sets the kernel threads (<see cref="NasKit.Tensors.TensorEngine.ThreadCount"/>) during measurement; null keeps the engine's current setting.</summary>
    /// <value>The default value is null. The profiler sets the engine's process-wide thread count for the duration of a call and restores it afterwards.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? Threads
    {
        get => _threads;
        set => _threads = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The thread count must be at least 1.");
    }

    /// <summary>Gets or sets the batch the network is run at; signatures include it.</summary>
    /// <value>The default value is 1 (one image per inference, the usual latency setting).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The batch size must be positive.");
    }
}
