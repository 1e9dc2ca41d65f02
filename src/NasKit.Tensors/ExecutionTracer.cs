using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors;

/// <summary>
/// Represents an active execution trace: every backend kernel call made by the thread that started the trace is recorded, with the
/// values it read and wrote, until the tracer is disposed. Obtain one from <see cref="TensorEngine.StartTracing"/>.
/// </summary>
/// <remarks>
/// <para>A <em>value</em> is the content of one tensor storage between two writes: views (reshape, slicing, transpose) of a tensor
/// share its value, a kernel that writes a fresh result creates a new value, and a kernel that writes in place keeps its input's
/// value. Values the trace did not produce (inputs, parameters, buffers) receive an identifier when first read; use
/// <see cref="IdOf"/> to find the identifier of a known tensor. Cost models (NasKit.Hardware) build layer tables and activation
/// lifetimes from this record.</para>
/// <para>Process-wide and one at a time, like <see cref="KernelProfiler"/>; it cannot run while profiling is on. Kernel calls made by
/// other threads run normally and are not recorded.</para>
/// </remarks>
public sealed class ExecutionTracer : IDisposable
{
    private readonly TracingBackend _backend;
    private bool _disposed;

    internal ExecutionTracer(TracingBackend backend) => _backend = backend;

    /// <summary>Gets the number of kernel calls recorded so far (the index the next call will have).</summary>
    public int Count => _backend.Count;

    /// <summary>Gets the kernel calls recorded so far, in call order.</summary>
    /// <returns>A copy of the record.</returns>
    public IReadOnlyList<TracedKernel> Snapshot() => _backend.Snapshot();

    /// <summary>Gets the identifier of the value a tensor holds now, assigning one when the trace has not seen it yet.</summary>
    /// <param name="tensor">The tensor (views share their base's value).</param>
    /// <returns>The value identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="tensor"/> has been disposed.</exception>
    public long IdOf(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return _backend.IdOf(tensor);
    }

    /// <summary>Stops tracing.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            BackendProvider.StopTracing(_backend);
        }
    }
}
