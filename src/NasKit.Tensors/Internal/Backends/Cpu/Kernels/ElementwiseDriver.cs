using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Shared drivers that run an operator struct over spans: Vector512 where accelerated, then Vector256, then scalar
/// for the tail. The tail is processed element by element (not with an overlapped vector) so that in-place use,
/// where the destination is the source, stays correct.
/// </summary>
internal static class ElementwiseDriver
{
    public static void Unary<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
        }
    }

    public static void Binary<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }

    public static void BinaryScalarRight<TOp>(TOp op, ReadOnlySpan<float> x, float y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        var n = x.Length;
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var yv = Vector512.Create(y);
            for (; i <= n - 16; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), yv).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var yv = Vector256.Create(y);
            for (; i <= n - 8; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), yv).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), y);
        }
    }

    public static void BinaryScalarLeft<TOp>(TOp op, float x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        var n = y.Length;
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var xv = Vector512.Create(x);
            for (; i <= n - 16; i += 16)
            {
                op.Invoke(xv, Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var xv = Vector256.Create(x);
            for (; i <= n - 8; i += 8)
            {
                op.Invoke(xv, Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(x, Unsafe.Add(ref yr, i));
        }
    }
}
