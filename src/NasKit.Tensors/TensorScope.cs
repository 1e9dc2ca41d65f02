using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Storage;

namespace NasKit.Tensors;

/// <summary>
/// Represents a region whose tensors are disposed together when it ends, returning their storage to the pool.
/// Wrap each training step (or each batch of inference) in a scope so memory stays flat from step to step.
/// </summary>
/// <remarks>
/// <para>Semantics follow TorchSharp's dispose scopes. Every tensor created on a thread while a scope is active on that
/// thread is owned by the innermost scope. When the scope is disposed, each tensor it still owns is disposed.
/// <see cref="MoveToOuter{T}(T)"/> hands a tensor to the enclosing scope (or to nobody, when there is none), and
/// <see cref="Detach{T}(T)"/> removes it from scope management altogether.</para>
/// <para>Parameters, module buffers, gradients accumulated into <see cref="Tensor.Grad"/> and optimizer state are never
/// owned by a scope. Scopes are per thread and must be disposed in reverse order of creation on the thread that began them.</para>
/// </remarks>
/// <example>
/// <code>
/// foreach (var batch in loader)
/// {
///     using var scope = TensorScope.Begin();
///     var loss = Functional.CrossEntropy(model.Call(batch.Inputs), batch.Targets);
///     optimizer.ZeroGrad();
///     loss.Backward();
///     optimizer.Step();
/// }
/// </code>
/// </example>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic]
    private static TensorScope? t_current;

    [ThreadStatic]
    private static long t_created;

    [ThreadStatic]
    private static long t_disposed;

    private readonly List<Tensor> _tensors = [];
    private readonly TensorScope? _parent;
    private readonly int _threadId;
    private bool _disposed;

    private TensorScope()
    {
        _parent = t_current;
        _threadId = Environment.CurrentManagedThreadId;
        t_current = this;
    }

    /// <summary>Gets the innermost active scope on the current thread, or <see langword="null"/>.</summary>
    public static TensorScope? Current => t_current;

    /// <summary>Gets the counters of the current thread (tensors) and of the process-wide storage pool.</summary>
    public static TensorScopeStatistics Statistics =>
        new(t_created, t_disposed, BufferPool.AllocatedBytes, BufferPool.RetainedBytes, BufferPool.Rents, BufferPool.Hits, BufferPool.RentedBytes);

    /// <summary>Gets the number of tensors this scope currently owns.</summary>
    public int OwnedCount
    {
        get
        {
            var n = 0;
            foreach (var t in _tensors)
            {
                if (ReferenceEquals(t.OwningScope, this) && !t.IsDisposed)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>Begins a new scope on the current thread.</summary>
    /// <returns>The scope; dispose it to end it.</returns>
    public static TensorScope Begin() => new();

    /// <summary>Resets the current thread's tensor counters.</summary>
    public static void ResetStatistics()
    {
        t_created = 0;
        t_disposed = 0;
    }

    /// <summary>Moves <paramref name="tensor"/> to the enclosing scope, or out of scope management when there is none.</summary>
    /// <typeparam name="T">The tensor type.</typeparam>
    /// <param name="tensor">A tensor owned by this scope.</param>
    /// <returns>The same tensor.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not owned by this scope.</exception>
    public T MoveToOuter<T>(T tensor)
        where T : Tensor
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ThrowIfNotOwner(tensor);
        tensor.OwningScope = _parent;
        _parent?._tensors.Add(tensor);
        return tensor;
    }

    /// <summary>Removes <paramref name="tensor"/> from scope management; the caller disposes it (or leaves it to the GC).</summary>
    /// <typeparam name="T">The tensor type.</typeparam>
    /// <param name="tensor">A tensor owned by this scope.</param>
    /// <returns>The same tensor.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not owned by this scope.</exception>
    public T Detach<T>(T tensor)
        where T : Tensor
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ThrowIfNotOwner(tensor);
        tensor.OwningScope = null;
        return tensor;
    }

    /// <summary>Ends the scope, disposing every tensor it still owns.</summary>
    /// <exception cref="InvalidOperationException">The scope is not the innermost one of the current thread.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (Environment.CurrentManagedThreadId != _threadId)
        {
            ThrowHelper.ThrowInvalidOperation("A TensorScope must be disposed on the thread that began it.");
        }

        if (!ReferenceEquals(t_current, this))
        {
            ThrowHelper.ThrowInvalidOperation("TensorScopes must be disposed in reverse order of creation: an inner scope is still active.");
        }

        _disposed = true;
        t_current = _parent;
        foreach (var t in _tensors)
        {
            if (ReferenceEquals(t.OwningScope, this))
            {
                t.OwningScope = null;
                t.Dispose();
            }
        }

        _tensors.Clear();
    }

    /// <summary>Registers a newly created tensor with the current thread's innermost scope.</summary>
    internal static void OnCreated(Tensor tensor)
    {
        t_created++;
        var scope = t_current;
        if (scope is not null)
        {
            tensor.OwningScope = scope;
            scope._tensors.Add(tensor);
        }
    }

    internal static void OnDisposed() => t_disposed++;

    /// <summary>Takes a tensor out of whatever scope owns it (used for parameters, gradients and optimizer state).</summary>
    internal static void Release(Tensor tensor) => tensor.OwningScope = null;

    private void ThrowIfNotOwner(Tensor tensor)
    {
        if (!ReferenceEquals(tensor.OwningScope, this))
        {
            ThrowHelper.ThrowInvalidOperation("The tensor is not owned by this scope.");
        }
    }
}
