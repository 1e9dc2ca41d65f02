using System.Runtime.CompilerServices;

namespace NasKit.Tensors.Internal.Storage;

/// <summary>
/// The memory behind one or more tensors (views share it). Reference counted: every tensor object that
/// views the storage holds one reference; the last release returns a pooled array to <see cref="BufferPool"/>.
/// </summary>
internal sealed class TensorStorage
{
    private float[]? _data;
    private int _refCount;

    private TensorStorage(float[] data, int length, bool pooled)
    {
        _data = data;
        Length = length;
        Pooled = pooled;
        _refCount = 1;
    }

    /// <summary>Gets the number of usable elements (the array may be longer when it came from the pool).</summary>
    public int Length { get; }

    /// <summary>Gets whether the array goes back to the pool when the last reference is released.</summary>
    public bool Pooled { get; }

    /// <summary>Gets or sets the version counter, bumped by every in-place write; autograd uses it to detect stale saved tensors.</summary>
    public int Version;

    /// <summary>Gets the device the memory lives on.</summary>
#pragma warning disable CA1822 // one device today; a CUDA storage will return its own
    public Device Device => Device.Cpu;
#pragma warning restore CA1822

    /// <summary>Gets the number of tensor objects sharing this storage.</summary>
    public int RefCount => Volatile.Read(ref _refCount);

    /// <summary>Gets whether the storage has been released.</summary>
    public bool IsReleased => _data is null;

    /// <summary>Gets the backing array; throws <see cref="ObjectDisposedException"/> after release.</summary>
    public float[] Data
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var data = _data;
            if (data is null)
            {
                ThrowHelper.ThrowDisposed();
            }

            return data;
        }
    }

    /// <summary>Allocates storage of <paramref name="length"/> elements; contents are undefined unless <paramref name="zero"/>.</summary>
    public static TensorStorage Allocate(int length, bool zero)
    {
        var array = BufferPool.Rent(length, out var pooled);
        if (zero)
        {
            Array.Clear(array, 0, length);
        }

        return new TensorStorage(array, length, pooled);
    }

    /// <summary>Wraps an existing array without copying; it is never returned to the pool.</summary>
    public static TensorStorage Wrap(float[] array) => new(array, array.Length, pooled: false);

    public void AddRef()
    {
        if (Interlocked.Increment(ref _refCount) <= 1)
        {
            ThrowHelper.ThrowDisposed();
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0)
        {
            var data = Interlocked.Exchange(ref _data, null);
            if (data is not null && Pooled)
            {
                BufferPool.Return(data);
            }
        }
    }
}
