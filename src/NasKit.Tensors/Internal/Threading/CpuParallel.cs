using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace NasKit.Tensors.Internal.Threading;

/// <summary>
/// The engine's own fork-join pool. Work is cut into a fixed number of chunks that depends only on the
/// problem size and <see cref="ThreadCount"/>, never on timing, so kernels that reduce per chunk and
/// combine chunks in index order are deterministic for a given thread count.
/// </summary>
/// <remarks>
/// The calling thread takes part in the work, so <c>ThreadCount = n</c> uses <c>n - 1</c> workers.
/// A parallel region started from inside another one (or while another thread holds the pool) runs serially
/// on the calling thread: nested kernels never oversubscribe the cores and never deadlock.
/// </remarks>
internal static class CpuParallel
{
    private static readonly Lock s_configLock = new();
    private static WorkerPool? s_pool;
    private static int s_threadCount = DefaultThreadCount();

    [ThreadStatic]
    private static bool t_inRegion;

    /// <summary>Gets or sets the number of threads kernels use (the caller included).</summary>
    public static int ThreadCount
    {
        get => Volatile.Read(ref s_threadCount);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (s_configLock)
            {
                if (value == s_threadCount)
                {
                    return;
                }

                s_pool?.Shutdown();
                s_pool = null;
                s_threadCount = value;
            }
        }
    }

    /// <summary>Gets whether the current thread is already inside a parallel region.</summary>
    public static bool InParallelRegion => t_inRegion;

    /// <summary>Gets how many chunks a loop over <paramref name="length"/> items with at least <paramref name="minChunk"/> per chunk is cut into.</summary>
    public static int ChunkCount(long length, long minChunk)
    {
        if (length <= 0)
        {
            return 0;
        }

        var byGrain = (length + Math.Max(minChunk, 1) - 1) / Math.Max(minChunk, 1);
        return (int)Math.Max(1, Math.Min(ThreadCount, byGrain));
    }

    /// <summary>Runs <paramref name="body"/> for every chunk index in <c>[0, chunkCount)</c>.</summary>
    public static void For(int chunkCount, Action<int> body)
    {
        if (chunkCount <= 0)
        {
            return;
        }

        if (chunkCount == 1 || t_inRegion || ThreadCount == 1)
        {
            RunSerial(chunkCount, body);
            return;
        }

        var pool = GetPool();
        if (pool is null || !pool.TryRun(chunkCount, body))
        {
            RunSerial(chunkCount, body);
        }
    }

    /// <summary>
    /// Gets how many chunks a loop over <paramref name="length"/> items with at least <paramref name="minChunk"/> per chunk is cut into
    /// when each thread should get about <paramref name="chunksPerThread"/> of them.
    /// </summary>
    public static int ChunkCount(long length, long minChunk, int chunksPerThread)
    {
        if (length <= 0)
        {
            return 0;
        }

        var byGrain = (length + Math.Max(minChunk, 1) - 1) / Math.Max(minChunk, 1);
        return (int)Math.Max(1, Math.Min((long)ThreadCount * Math.Max(chunksPerThread, 1), byGrain));
    }

    /// <summary>
    /// Splits <c>[0, length)</c> into at most <see cref="ThreadCount"/> contiguous ranges of at least
    /// <paramref name="minChunk"/> items and runs <paramref name="body"/>(start, end) for each.
    /// </summary>
    public static void ForRange(long length, long minChunk, Action<long, long> body) => ForRange(length, minChunk, 1, body);

    /// <summary>
    /// Splits <c>[0, length)</c> into at most <see cref="ThreadCount"/> × <paramref name="chunksPerThread"/> contiguous ranges of at
    /// least <paramref name="minChunk"/> items and runs <paramref name="body"/>(start, end) for each. Threads take the ranges one
    /// at a time, so with several ranges per thread a thread that the machine delays (or that got slower ranges) holds up the
    /// others for less than a whole share; use it for loops whose result does not depend on how they are cut.
    /// </summary>
    public static void ForRange(long length, long minChunk, int chunksPerThread, Action<long, long> body)
    {
        var chunks = ChunkCount(length, minChunk, chunksPerThread);
        if (chunks <= 1)
        {
            if (length > 0)
            {
                body(0, length);
            }

            return;
        }

        For(chunks, c =>
        {
            var (start, end) = ChunkBounds(length, chunks, c);
            body(start, end);
        });
    }

    /// <summary>Gets the bounds of chunk <paramref name="chunk"/> when <paramref name="length"/> items are cut into <paramref name="chunks"/> near-equal parts.</summary>
    public static (long Start, long End) ChunkBounds(long length, int chunks, int chunk)
    {
        var baseSize = length / chunks;
        var remainder = length % chunks;
        var start = (chunk * baseSize) + Math.Min(chunk, remainder);
        var size = baseSize + (chunk < remainder ? 1 : 0);
        return (start, start + size);
    }

    private static void RunSerial(int chunkCount, Action<int> body)
    {
        var outer = t_inRegion;
        t_inRegion = true;
        try
        {
            for (var i = 0; i < chunkCount; i++)
            {
                body(i);
            }
        }
        finally
        {
            t_inRegion = outer;
        }
    }

    private static WorkerPool? GetPool()
    {
        var pool = Volatile.Read(ref s_pool);
        if (pool is not null)
        {
            return pool;
        }

        lock (s_configLock)
        {
            if (s_threadCount <= 1)
            {
                return null;
            }

            s_pool ??= new WorkerPool(s_threadCount - 1);
            return s_pool;
        }
    }

    private static int DefaultThreadCount()
    {
        var fromEnv = Environment.GetEnvironmentVariable("NASKIT_NUM_THREADS");
        if (int.TryParse(fromEnv, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        return Math.Max(1, Environment.ProcessorCount);
    }

    internal static void MarkRegion(bool value) => t_inRegion = value;

    private sealed class Job(int count, Action<int> body)
    {
        public readonly Action<int> Body = body;
        public readonly int Count = count;
        public int Next;
        public int Remaining = count;
        public ExceptionDispatchInfo? Error;

        /// <summary>Takes chunks until none are left.</summary>
        public void Work()
        {
            while (true)
            {
                var chunk = Interlocked.Increment(ref Next) - 1;
                if (chunk >= Count)
                {
                    return;
                }

                try
                {
                    if (Error is null)
                    {
                        Body(chunk);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.CompareExchange(ref Error, ExceptionDispatchInfo.Capture(ex), null);
                }
                finally
                {
                    Interlocked.Decrement(ref Remaining);
                }
            }
        }
    }

    private sealed class WorkerPool
    {
        // Workers spin this long after a job before they block: long enough to catch the next kernel of
        // a forward pass, short enough not to burn a core while the caller does serial work.
        private static readonly long s_spinTicks = Stopwatch.Frequency / 5000; // 200 us

        private readonly Lock _runLock = new();
        private readonly object _sleepLock = new();
        private readonly Thread[] _threads;
        private Job? _job;
        private long _generation;
        private volatile bool _shutdown;

        public WorkerPool(int workers)
        {
            _threads = new Thread[workers];
            for (var i = 0; i < workers; i++)
            {
                _threads[i] = new Thread(WorkerLoop)
                {
                    IsBackground = true,
                    Name = $"NasKit.Tensors worker {i + 1}",
                };
                _threads[i].Start();
            }
        }

        public bool TryRun(int count, Action<int> body)
        {
            if (!_runLock.TryEnter())
            {
                return false; // another user thread owns the pool: run serially rather than wait
            }

            try
            {
                var job = new Job(count, body);
                Volatile.Write(ref _job, job);
                Interlocked.Increment(ref _generation);
                lock (_sleepLock)
                {
                    Monitor.PulseAll(_sleepLock);
                }

                t_inRegion = true;
                try
                {
                    job.Work();
                }
                finally
                {
                    t_inRegion = false;
                }

                var spin = new SpinWait();
                while (Volatile.Read(ref job.Remaining) > 0)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }

                Volatile.Write(ref _job, null);
                job.Error?.Throw();
                return true;
            }
            finally
            {
                _runLock.Exit();
            }
        }

        public void Shutdown()
        {
            _shutdown = true;
            Interlocked.Increment(ref _generation);
            lock (_sleepLock)
            {
                Monitor.PulseAll(_sleepLock);
            }
        }

        private void WorkerLoop()
        {
            t_inRegion = true;
            var seen = Interlocked.Read(ref _generation);
            while (true)
            {
                var start = Stopwatch.GetTimestamp();
                var spin = new SpinWait();
                while (Interlocked.Read(ref _generation) == seen)
                {
                    if (Stopwatch.GetTimestamp() - start > s_spinTicks)
                    {
                        lock (_sleepLock)
                        {
                            while (Interlocked.Read(ref _generation) == seen)
                            {
                                Monitor.Wait(_sleepLock);
                            }
                        }

                        break;
                    }

                    spin.SpinOnce(sleep1Threshold: -1);
                }

                if (_shutdown)
                {
                    return;
                }

                seen = Interlocked.Read(ref _generation);
                Volatile.Read(ref _job)?.Work();
            }
        }
    }
}
