using NasKit.Tensors.Internal.Autograd;
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

    /// <summary>
    /// Runs independent pieces of work side by side on the engine's threads, each with single-threaded kernels, and returns when all
    /// have finished.
    /// </summary>
    /// <param name="work">The pieces; none may write a tensor that another reads or writes.</param>
    /// <remarks>
    /// <para>For passes over separate networks that need not wait for each other (ZO-DARTS trains a supernet and its perturbed copy
    /// on the same batch; DARTS's second-order step evaluates two weight perturbations): on small batches two single-threaded passes
    /// at once keep the cores busier than two multi-threaded passes one after the other, whose many short kernels each end in a
    /// synchronisation.</para>
    /// <para>Each piece runs with the caller's gradient mode; tensors it creates belong to no <see cref="TensorScope"/> unless it opens
    /// one. Its kernels run on its own thread, so its results do not depend on which thread runs it, but can differ in the last bits
    /// from the same work run with multi-threaded kernels (as with another <see cref="ThreadCount"/>). With one engine thread, when the
    /// engine's threads are busy, or when called from inside such a piece, the pieces run one after the other on the calling thread,
    /// with the same single-threaded kernels. The first exception a piece throws is rethrown once the pieces already running have
    /// ended; pieces not yet started are then skipped.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">A piece is null.</exception>
    /// <example><code>TensorEngine.RunConcurrently(() => StepA(netA, batch), () => StepB(netB, batch));</code></example>
    public static void RunConcurrently(params ReadOnlySpan<Action> work)
    {
        foreach (var piece in work)
        {
            ArgumentNullException.ThrowIfNull(piece, nameof(work));
        }

        var pieces = work.ToArray();
        var gradients = GradMode.IsEnabled;
        CpuParallel.For(pieces.Length, i =>
        {
            var previous = GradMode.IsEnabled;
            GradMode.IsEnabled = gradients;
            try
            {
                pieces[i]();
            }
            finally
            {
                GradMode.IsEnabled = previous;
            }
        });
    }

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
