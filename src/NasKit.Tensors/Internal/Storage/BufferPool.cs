namespace NasKit.Tensors.Internal.Storage;

/// <summary>
/// Exact-length pool for tensor storage. A training loop asks for the same sizes every step, so exact-length
/// buckets reach a steady state after the first step: no new arrays, no multi-megabyte garbage for the GC.
/// </summary>
/// <remarks>
/// Arrays shorter than <see cref="MinPooledLength"/> come from the GC directly (gen-0 handles them well).
/// Retained memory is capped by <see cref="MaxRetainedBytes"/>; returns beyond the cap are dropped to the GC.
/// Thread-safe: a single lock guards the buckets; contention is low because only tensor creation and disposal touch it.
/// </remarks>
internal static class BufferPool
{
    public const int MinPooledLength = 1024;

    private static readonly Dictionary<int, Stack<float[]>> s_buckets = new();
    private static readonly Lock s_lock = new();
    private static long s_retainedBytes;
    private static long s_maxRetainedBytes = DefaultMaxRetainedBytes();

    private static long s_rents;
    private static long s_rentedBytes;
    private static long s_hits;
    private static long s_allocatedBytes;

    public static long MaxRetainedBytes
    {
        get => Interlocked.Read(ref s_maxRetainedBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Interlocked.Exchange(ref s_maxRetainedBytes, value);
            if (value < RetainedBytes)
            {
                Trim(value);
            }
        }
    }

    public static long RetainedBytes => Interlocked.Read(ref s_retainedBytes);

    public static long Rents => Interlocked.Read(ref s_rents);

    public static long Hits => Interlocked.Read(ref s_hits);

    public static long RentedBytes => Interlocked.Read(ref s_rentedBytes);

    public static long AllocatedBytes => Interlocked.Read(ref s_allocatedBytes);

    public static float[] Rent(int length, out bool pooled)
    {
        if (length < MinPooledLength)
        {
            pooled = false;
            return length == 0 ? [] : new float[length];
        }

        pooled = true;
        Interlocked.Increment(ref s_rents);
        Interlocked.Add(ref s_rentedBytes, (long)length * sizeof(float));
        lock (s_lock)
        {
            if (s_buckets.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                s_retainedBytes -= (long)length * sizeof(float);
                s_hits++;
                return stack.Pop();
            }
        }

        Interlocked.Add(ref s_allocatedBytes, (long)length * sizeof(float));
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Rents an array of exactly <paramref name="length"/> elements, zero-filled (kernel scratch that must start at zero).</summary>
    public static float[] RentCleared(int length)
    {
        var array = Rent(length, out _);
        Array.Clear(array, 0, length);
        return array;
    }

    public static void Return(float[] array)
    {
        if (array.Length < MinPooledLength)
        {
            return; // never pooled: Rent serves these lengths from the GC
        }

        var bytes = (long)array.Length * sizeof(float);
        lock (s_lock)
        {
            if (s_retainedBytes + bytes > s_maxRetainedBytes)
            {
                return;
            }

            if (!s_buckets.TryGetValue(array.Length, out var stack))
            {
                stack = new Stack<float[]>();
                s_buckets.Add(array.Length, stack);
            }

            stack.Push(array);
            s_retainedBytes += bytes;
        }
    }

    /// <summary>Drops pooled arrays until at most <paramref name="targetBytes"/> are retained.</summary>
    public static void Trim(long targetBytes = 0)
    {
        lock (s_lock)
        {
            foreach (var (length, stack) in s_buckets)
            {
                while (s_retainedBytes > targetBytes && stack.Count > 0)
                {
                    stack.Pop();
                    s_retainedBytes -= (long)length * sizeof(float);
                }
            }
        }
    }

    private static long DefaultMaxRetainedBytes()
    {
        // Half the memory the GC may use, at most 8 GiB: enough for the activations of one training step
        // of the networks NasKit searches, without starving the rest of the process.
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Min(available / 2, 8L << 30);
    }
}
