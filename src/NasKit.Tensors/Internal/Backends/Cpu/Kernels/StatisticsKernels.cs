using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>Vectorised building blocks of the normalisation kernels.</summary>
internal static class StatisticsKernels
{
    /// <summary>Returns Σ (x − mean)², accumulating vectors in float and the vector lanes in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        ref var r = ref MemoryMarshal.GetReference(x);
        var n = x.Length;
        var i = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var m = Vector512.Create(mean);
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var d0 = Vector512.LoadUnsafe(ref r, (nuint)i) - m;
                var d1 = Vector512.LoadUnsafe(ref r, (nuint)(i + 16)) - m;
                acc0 = Vector512.FusedMultiplyAdd(d0, d0, acc0);
                acc1 = Vector512.FusedMultiplyAdd(d1, d1, acc1);
            }

            for (; i <= n - 16; i += 16)
            {
                var d0 = Vector512.LoadUnsafe(ref r, (nuint)i) - m;
                acc0 = Vector512.FusedMultiplyAdd(d0, d0, acc0);
            }

            total = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var m = Vector256.Create(mean);
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var d = Vector256.LoadUnsafe(ref r, (nuint)i) - m;
                acc = Vector256.FusedMultiplyAdd(d, d, acc);
            }

            total = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            var d = Unsafe.Add(ref r, i) - mean;
            total += d * d;
        }

        return total;
    }

    /// <summary>Computes destination = a·x + b·y + c element-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(ReadOnlySpan<float> x, float a, ReadOnlySpan<float> y, float b, float c, Span<float> destination)
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = x.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            var vb = Vector512.Create(b);
            var vc = Vector512.Create(c);
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)i), va, Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref yr, (nuint)i), vb, vc));
                v.StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            var vc = Vector256.Create(c);
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)i), va, Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref yr, (nuint)i), vb, vc));
                v.StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = (Unsafe.Add(ref xr, i) * a) + (Unsafe.Add(ref yr, i) * b) + c;
        }
    }

    /// <summary>Returns Σ g·(x − mean), accumulating vectors in float and the lanes in double (no cancellation for large means).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double CenteredDot(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean)
    {
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        var n = g.Length;
        var i = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var m = Vector512.Create(mean);
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref gr, (nuint)i), Vector512.LoadUnsafe(ref xr, (nuint)i) - m, acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref gr, (nuint)(i + 16)), Vector512.LoadUnsafe(ref xr, (nuint)(i + 16)) - m, acc1);
            }

            for (; i <= n - 16; i += 16)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref gr, (nuint)i), Vector512.LoadUnsafe(ref xr, (nuint)i) - m, acc0);
            }

            total = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var m = Vector256.Create(mean);
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref gr, (nuint)i), Vector256.LoadUnsafe(ref xr, (nuint)i) - m, acc);
            }

            total = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            total += Unsafe.Add(ref gr, i) * (double)(Unsafe.Add(ref xr, i) - mean);
        }

        return total;
    }

    /// <summary>
    /// Returns Σ g and Σ g·(x − mean) in one pass over both spans (the two sums of batch norm's backward). Vectors accumulate in
    /// float over blocks of 1024 elements (as <c>SumPreciseDouble</c>), the lanes and the blocks in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Sum, double CenteredDot) SumAndCenteredDot(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean)
    {
        const int Block = 1024;
        double sum = 0, dot = 0;
        for (var start = 0; start < g.Length; start += Block)
        {
            var length = Math.Min(Block, g.Length - start);
            var (s, d) = SumAndCenteredDotBlock(g.Slice(start, length), x.Slice(start, length), mean);
            sum += s;
            dot += d;
        }

        return (sum, dot);
    }

    private static (double Sum, double CenteredDot) SumAndCenteredDotBlock(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean)
    {
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        var n = g.Length;
        var i = 0;
        double sum = 0, dot = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var m = Vector512.Create(mean);
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var d0 = Vector512<float>.Zero;
            var d1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var g0 = Vector512.LoadUnsafe(ref gr, (nuint)i);
                var g1 = Vector512.LoadUnsafe(ref gr, (nuint)(i + 16));
                s0 += g0;
                s1 += g1;
                d0 = Vector512.FusedMultiplyAdd(g0, Vector512.LoadUnsafe(ref xr, (nuint)i) - m, d0);
                d1 = Vector512.FusedMultiplyAdd(g1, Vector512.LoadUnsafe(ref xr, (nuint)(i + 16)) - m, d1);
            }

            for (; i <= n - 16; i += 16)
            {
                var g0 = Vector512.LoadUnsafe(ref gr, (nuint)i);
                s0 += g0;
                d0 = Vector512.FusedMultiplyAdd(g0, Vector512.LoadUnsafe(ref xr, (nuint)i) - m, d0);
            }

            sum = Vector512.Sum(s0 + s1);
            dot = Vector512.Sum(d0 + d1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var m = Vector256.Create(mean);
            var s0 = Vector256<float>.Zero;
            var d0 = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var g0 = Vector256.LoadUnsafe(ref gr, (nuint)i);
                s0 += g0;
                d0 = Vector256.FusedMultiplyAdd(g0, Vector256.LoadUnsafe(ref xr, (nuint)i) - m, d0);
            }

            sum = Vector256.Sum(s0);
            dot = Vector256.Sum(d0);
        }

        for (; i < n; i++)
        {
            var gv = Unsafe.Add(ref gr, i);
            sum += gv;
            dot += gv * (double)(Unsafe.Add(ref xr, i) - mean);
        }

        return (sum, dot);
    }

    /// <summary>
    /// Returns Σ g′ and Σ g′·(x − mean) with g′ = g where y &gt; 0 and 0 elsewhere: the gradient of a ReLU whose output is y, taken
    /// through to the batch-norm sums in one pass. Vectors accumulate in float, lanes in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Sum, double CenteredDot) ReluMaskedSums(ReadOnlySpan<float> g, ReadOnlySpan<float> y, ReadOnlySpan<float> x, float mean)
    {
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var xr = ref MemoryMarshal.GetReference(x);
        var n = g.Length;
        var i = 0;
        double sum = 0, dot = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var m = Vector512.Create(mean);
            var s = Vector512<float>.Zero;
            var d = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var gv = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref yr, (nuint)i), Vector512<float>.Zero), Vector512.LoadUnsafe(ref gr, (nuint)i), Vector512<float>.Zero);
                s += gv;
                d = Vector512.FusedMultiplyAdd(gv, Vector512.LoadUnsafe(ref xr, (nuint)i) - m, d);
            }

            sum = Vector512.Sum(s);
            dot = Vector512.Sum(d);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var m = Vector256.Create(mean);
            var s = Vector256<float>.Zero;
            var d = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var gv = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref yr, (nuint)i), Vector256<float>.Zero), Vector256.LoadUnsafe(ref gr, (nuint)i), Vector256<float>.Zero);
                s += gv;
                d = Vector256.FusedMultiplyAdd(gv, Vector256.LoadUnsafe(ref xr, (nuint)i) - m, d);
            }

            sum = Vector256.Sum(s);
            dot = Vector256.Sum(d);
        }

        for (; i < n; i++)
        {
            // A masked element still multiplies its x − μ (0·∞ = NaN), as the unfused ReLU gradient followed by batch norm's does.
            var gv = Unsafe.Add(ref yr, i) > 0f ? Unsafe.Add(ref gr, i) : 0f;
            sum += gv;
            dot += gv * (double)(Unsafe.Add(ref xr, i) - mean);
        }

        return (sum, dot);
    }

    /// <summary>Computes destination = a·g′ + b·x + c element-wise, with g′ = g where y &gt; 0 and 0 elsewhere (a ReLU's gradient).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluMaskedCombine(ReadOnlySpan<float> g, ReadOnlySpan<float> y, float a, ReadOnlySpan<float> x, float b, float c, Span<float> destination)
    {
        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = g.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var (va, vb, vc) = (Vector512.Create(a), Vector512.Create(b), Vector512.Create(c));
            for (; i <= n - 16; i += 16)
            {
                var gv = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref yr, (nuint)i), Vector512<float>.Zero), Vector512.LoadUnsafe(ref gr, (nuint)i), Vector512<float>.Zero);
                Vector512.FusedMultiplyAdd(gv, va, Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)i), vb, vc)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var (va, vb, vc) = (Vector256.Create(a), Vector256.Create(b), Vector256.Create(c));
            for (; i <= n - 8; i += 8)
            {
                var gv = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref yr, (nuint)i), Vector256<float>.Zero), Vector256.LoadUnsafe(ref gr, (nuint)i), Vector256<float>.Zero);
                Vector256.FusedMultiplyAdd(gv, va, Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)i), vb, vc)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            var gv = Unsafe.Add(ref yr, i) > 0f ? Unsafe.Add(ref gr, i) : 0f;
            Unsafe.Add(ref dr, i) = (gv * a) + (Unsafe.Add(ref xr, i) * b) + c;
        }
    }

    /// <summary>
    /// Returns Σ x over the <paramref name="planes"/> planes of one channel (plane p starts at p·<paramref name="planeStride"/> in
    /// <paramref name="x"/>) in one pass: vectors accumulate in float over runs of at most 1024 elements (several small planes, or
    /// part of a large one), as <c>SumPreciseDouble</c> does per row, and the runs in double; elements past a plane's last whole
    /// vector go to the double totals directly. Small planes (8 × 8 feature maps) cost no call and no horizontal sum each.
    /// </summary>
    public static double ChannelSum(ReadOnlySpan<float> x, int planes, int planeStride, int plane) =>
        ChannelSums<SumLanes>(x, x, planes, planeStride, plane, 0f).First;

    /// <summary>Returns Σ (x − mean)² over the planes of one channel (layout and accumulation as <see cref="ChannelSum"/>).</summary>
    public static double ChannelSquaredDeviations(ReadOnlySpan<float> x, int planes, int planeStride, int plane, float mean) =>
        ChannelSums<SquaredDeviationLanes>(x, x, planes, planeStride, plane, mean).First;

    /// <summary>
    /// Returns Σ g and Σ g·(x − mean) over the planes of one channel of two tensors of the same layout (as <see cref="ChannelSum"/>):
    /// the two sums of batch norm's backward in one pass.
    /// </summary>
    public static (double Sum, double CenteredDot) ChannelSumAndCenteredDot(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int planes, int planeStride, int plane, float mean) =>
        ChannelSums<SumAndCenteredDotLanes>(g, x, planes, planeStride, plane, mean);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double First, double Second) ChannelSums<TLanes>(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int planes, int planeStride, int plane, float mean)
        where TLanes : struct, IChannelLanes
    {
        const int Run = 1024;
        if (planes <= 0 || plane <= 0)
        {
            return (0, 0);
        }

        var last = ((long)(planes - 1) * planeStride) + plane;
        if (g.Length < last || x.Length < last)
        {
            throw new ArgumentException($"The spans hold {Math.Min(g.Length, x.Length)} elements; {planes} planes of {plane} every {planeStride} need {last}.");
        }

        double first = 0, second = 0;
        if (!Vector512.IsHardwareAccelerated)
        {
            // Without 512-bit vectors: the per-plane kernels (with their 256-bit paths), summed in plane order.
            for (var p = 0; p < planes; p++)
            {
                var at = p * planeStride;
                var (a, b) = TLanes.Plane(g.Slice(at, plane), x.Slice(at, plane), mean);
                first += a;
                second += b;
            }

            return (first, second);
        }

        ref var gr = ref MemoryMarshal.GetReference(g);
        ref var xr = ref MemoryMarshal.GetReference(x);
        var m = Vector512.Create(mean);
        var f0 = Vector512<float>.Zero;
        var f1 = Vector512<float>.Zero;
        var s0 = Vector512<float>.Zero;
        var s1 = Vector512<float>.Zero;
        var pending = 0;
        for (var p = 0; p < planes; p++)
        {
            var b = (nuint)((long)p * planeStride);
            var i = 0;
            while (i <= plane - 16)
            {
                // Up to the end of the current run (whole vectors; a long plane is cut into several runs).
                var end = i + Math.Max(16, (Run - pending) / 16 * 16);
                end = Math.Min(end, plane - (plane - i) % 16);
                var start = i;
                for (; i <= end - 32; i += 32)
                {
                    TLanes.Add(Vector512.LoadUnsafe(ref gr, b + (nuint)i), Vector512.LoadUnsafe(ref xr, b + (nuint)i), m, ref f0, ref s0);
                    TLanes.Add(Vector512.LoadUnsafe(ref gr, b + (nuint)(i + 16)), Vector512.LoadUnsafe(ref xr, b + (nuint)(i + 16)), m, ref f1, ref s1);
                }

                for (; i < end; i += 16)
                {
                    TLanes.Add(Vector512.LoadUnsafe(ref gr, b + (nuint)i), Vector512.LoadUnsafe(ref xr, b + (nuint)i), m, ref f0, ref s0);
                }

                pending += i - start;
                if (pending >= Run)
                {
                    Flush(ref f0, ref f1, ref s0, ref s1, ref first, ref second);
                    pending = 0;
                }
            }

            for (; i < plane; i++)
            {
                TLanes.Add(Unsafe.Add(ref gr, b + (nuint)i), Unsafe.Add(ref xr, b + (nuint)i), mean, ref first, ref second);
            }
        }

        Flush(ref f0, ref f1, ref s0, ref s1, ref first, ref second);

        return (first, second);
    }

    /// <summary>Adds the float lanes of a run to the double totals and clears them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flush(ref Vector512<float> f0, ref Vector512<float> f1, ref Vector512<float> s0, ref Vector512<float> s1, ref double first, ref double second)
    {
        first += Vector512.Sum(f0 + f1);
        second += Vector512.Sum(s0 + s1);
        f0 = f1 = s0 = s1 = Vector512<float>.Zero;
    }

    /// <summary>What <see cref="ChannelSums{TLanes}"/> accumulates per element: into a first and a second sum.</summary>
    private interface IChannelLanes
    {
        static abstract void Add(Vector512<float> g, Vector512<float> x, Vector512<float> mean, ref Vector512<float> first, ref Vector512<float> second);

        static abstract void Add(float g, float x, float mean, ref double first, ref double second);

        /// <summary>Both sums over one plane by the per-span kernel (machines without 512-bit vectors).</summary>
        static abstract (double First, double Second) Plane(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean);
    }

    /// <summary>first += x.</summary>
    private readonly struct SumLanes : IChannelLanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(Vector512<float> g, Vector512<float> x, Vector512<float> mean, ref Vector512<float> first, ref Vector512<float> second) => first += x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(float g, float x, float mean, ref double first, ref double second) => first += x;

        public static (double First, double Second) Plane(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean) => (CpuBackend.SumPreciseDouble(x), 0);
    }

    /// <summary>first += (x − mean)².</summary>
    private readonly struct SquaredDeviationLanes : IChannelLanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(Vector512<float> g, Vector512<float> x, Vector512<float> mean, ref Vector512<float> first, ref Vector512<float> second)
        {
            var d = x - mean;
            first = Vector512.FusedMultiplyAdd(d, d, first);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(float g, float x, float mean, ref double first, ref double second)
        {
            double d = x - mean;
            first += d * d;
        }

        public static (double First, double Second) Plane(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean) => (SquaredDeviations(x, mean), 0);
    }

    /// <summary>first += g, second += g·(x − mean).</summary>
    private readonly struct SumAndCenteredDotLanes : IChannelLanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(Vector512<float> g, Vector512<float> x, Vector512<float> mean, ref Vector512<float> first, ref Vector512<float> second)
        {
            first += g;
            second = Vector512.FusedMultiplyAdd(g, x - mean, second);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(float g, float x, float mean, ref double first, ref double second)
        {
            first += g;
            second += g * (double)(x - mean);
        }

        public static (double First, double Second) Plane(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean) => SumAndCenteredDot(g, x, mean);
    }
}
