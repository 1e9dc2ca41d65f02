namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Cache-line alignment of the kernels' scratch buffers. A .NET array's elements start 16 bytes into the object, so a buffer is
/// 64-byte aligned only by chance (one allocation in four or eight); a 512-bit load from a misaligned address spans two cache lines
/// and costs two. Buffers are allocated pinned with <see cref="Slack"/> spare floats and used from their first 64-byte boundary on.
/// </summary>
internal static unsafe class CacheAlignment
{
    /// <summary>The spare floats to allocate so that an aligned start still leaves the requested length (one cache line).</summary>
    public const int Slack = 16;

    /// <summary>
    /// Returns a thread's pinned scratch buffer (cached in <paramref name="cache"/>) that holds at least <paramref name="length"/>
    /// floats from its first 64-byte boundary on; replaced by a larger one when it is too short. Contents are not cleared.
    /// </summary>
    public static float[] Buffer(ref float[]? cache, int length)
    {
        if (cache is null || cache.Length < length + Slack)
        {
            cache = GC.AllocateUninitializedArray<float>(length + Slack, pinned: true);
        }

        return cache;
    }

    /// <summary>Returns <paramref name="p"/> advanced to the next 64-byte boundary (by 0 to 15 floats).</summary>
    public static float* Align(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>Returns the index of the first 64-byte-aligned element of a pinned array.</summary>
    public static int Offset(float[] pinned)
    {
        fixed (float* p = pinned)
        {
            return (int)(Align(p) - p);
        }
    }
}
