using NasKit.Tensors.Internal.Storage;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors;

/// <summary>Provides process-wide settings of the tensor engine: kernel threads and the storage pool.</summary>
/// <remarks>
/// Results are deterministic for a given <see cref="ThreadCount"/>: kernels cut work into chunks that depend only on the
/// problem size and the thread count, and combine partial results in chunk order. Changing the thread count can change the
/// last bits of reductions (for example weight gradients of convolutions), never their meaning.
/// </remarks>
public static class TensorEngine
{
    /// <summary>Gets or sets the number of threads kernels use, the calling thread included.</summary>
    /// <value>The default value is the <c>NASKIT_NUM_THREADS</c> environment variable when set, otherwise <see cref="Environment.ProcessorCount"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int ThreadCount
    {
        get => CpuParallel.ThreadCount;
        set => CpuParallel.ThreadCount = value;
    }

    /// <summary>Gets or sets the most bytes of released tensor storage the pool keeps for reuse.</summary>
    /// <value>The default value is half of the memory available to the GC, at most 8 GiB.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static long MaxPooledBytes
    {
        get => BufferPool.MaxRetainedBytes;
        set => BufferPool.MaxRetainedBytes = value;
    }

    /// <summary>Gets the bytes the pool currently keeps for reuse.</summary>
    public static long PooledBytes => BufferPool.RetainedBytes;

    /// <summary>Starts timing every kernel call (process-wide) until the returned profiler is disposed.</summary>
    /// <returns>The profiler, whose <see cref="KernelProfiler.Snapshot"/> and <see cref="KernelProfiler.Format"/> report the timings.</returns>
    /// <exception cref="InvalidOperationException">Profiling is already on.</exception>
    /// <example><code>using var profiler = TensorEngine.StartProfiling(); RunOneStep(); Console.WriteLine(profiler.Format());</code></example>
    public static KernelProfiler StartProfiling() => new(Internal.Backends.BackendProvider.StartProfiling());

    /// <summary>Starts recording every kernel call of the calling thread, with the values each call reads and writes.</summary>
    /// <returns>The tracer; dispose it to stop.</returns>
    /// <exception cref="InvalidOperationException">A profiler or another tracer is active.</exception>
    /// <example><code>using var tracer = TensorEngine.StartTracing(); using (Autograd.NoGrad()) { model.Call(x); } var calls = tracer.Snapshot();</code></example>
    public static ExecutionTracer StartTracing() => new(Internal.Backends.BackendProvider.StartTracing());

    /// <summary>Releases every pooled array to the GC (for example between two searches with very different shapes).</summary>
    public static void TrimPool() => BufferPool.Trim();
}
