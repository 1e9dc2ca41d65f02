namespace NasKit.Tensors;

/// <summary>Represents a registered hook; dispose it to remove the hook.</summary>
public sealed class HookHandle : IDisposable
{
    private Action? _remove;

    internal HookHandle(Action remove) => _remove = remove;

    /// <summary>Gets whether the hook has been removed.</summary>
    public bool IsRemoved => _remove is null;

    /// <summary>Removes the hook. Calling it again does nothing.</summary>
    public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
}
