using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Max pooling with a 2×2 window and stride 2 (no padding or dilation), one plane at a time, 16 outputs per AVX-512 vector: the two
/// input rows of an output row are split into even and odd columns by two-source permutes and compared without branches, so
/// random data costs no mispredictions. Semantics match the reference loop: the first maximum in row-major window order wins, and
/// a NaN wins over every number (the first NaN when there are several). Positions are in-plane indices stored as floats.
/// </summary>
internal static unsafe class MaxPool2x2Kernel
{
    private const int Lanes = 16;

    private static readonly Vector512<int> s_even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> s_odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    private static readonly Vector512<int> s_interleaveLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> s_interleaveHigh = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    private static readonly Vector512<float> s_laneIndex = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    /// <summary>Gets whether the vector kernel runs on this CPU.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>Pools one plane: <paramref name="x"/> is inHeight × inWidth, <paramref name="y"/> and <paramref name="indices"/> outHeight × outWidth.</summary>
    public static void Forward(float* x, int inWidth, float* y, float* indices, int outHeight, int outWidth)
    {
        for (var oy = 0; oy < outHeight; oy++)
        {
            var r0 = x + ((long)2 * oy * inWidth);
            var r1 = r0 + inWidth;
            var yRow = y + ((long)oy * outWidth);
            var iRow = indices + ((long)oy * outWidth);
            var rowBase = (float)(2 * oy * inWidth);
            for (var ox = 0; ox < outWidth; ox += Lanes)
            {
                var n = Math.Min(Lanes, outWidth - ox);
                LoadPairs(r0 + (2 * ox), n, out var e0, out var o0);
                LoadPairs(r1 + (2 * ox), n, out var e1, out var o1);
                var col = Vector512.Create(rowBase + (2 * ox)) + (s_laneIndex * 2f);
                var best = e0;
                var idx = col;
                Take(ref best, ref idx, o0, col + Vector512<float>.One);
                Take(ref best, ref idx, e1, col + Vector512.Create((float)inWidth));
                Take(ref best, ref idx, o1, col + Vector512.Create((float)inWidth + 1));
                Store(yRow + ox, best, n);
                Store(iRow + ox, idx, n);
            }
        }
    }

    /// <summary>
    /// Routes each output gradient to the recorded position of its window and writes zeros to the other three; when the input has
    /// an odd trailing row or column (not covered by any window) those are zeroed too, so the plane is fully written.
    /// </summary>
    public static void Backward(float* dy, float* indices, int outHeight, int outWidth, float* dx, int inHeight, int inWidth)
    {
        if (2 * outHeight != inHeight || 2 * outWidth != inWidth)
        {
            new Span<float>(dx, inHeight * inWidth).Clear();
        }

        for (var oy = 0; oy < outHeight; oy++)
        {
            var d0 = dx + ((long)2 * oy * inWidth);
            var d1 = d0 + inWidth;
            var gRow = dy + ((long)oy * outWidth);
            var iRow = indices + ((long)oy * outWidth);
            var rowBase = (float)(2 * oy * inWidth);
            for (var ox = 0; ox < outWidth; ox += Lanes)
            {
                var n = Math.Min(Lanes, outWidth - ox);
                var mask = Vector512.LessThan(s_laneIndex, Vector512.Create((float)n));
                var g = Avx512F.MaskLoad(gRow + ox, mask, Vector512<float>.Zero);
                var idx = Avx512F.MaskLoad(iRow + ox, mask, Vector512.Create(-1f));
                var col = Vector512.Create(rowBase + (2 * ox)) + (s_laneIndex * 2f);
                var e0 = Vector512.ConditionalSelect(Vector512.Equals(idx, col), g, Vector512<float>.Zero);
                var o0 = Vector512.ConditionalSelect(Vector512.Equals(idx, col + Vector512<float>.One), g, Vector512<float>.Zero);
                var e1 = Vector512.ConditionalSelect(Vector512.Equals(idx, col + Vector512.Create((float)inWidth)), g, Vector512<float>.Zero);
                var o1 = Vector512.ConditionalSelect(Vector512.Equals(idx, col + Vector512.Create((float)inWidth + 1)), g, Vector512<float>.Zero);
                StorePairs(d0 + (2 * ox), e0, o0, n);
                StorePairs(d1 + (2 * ox), e1, o1, n);
            }
        }
    }

    /// <summary>best/idx take (v, at) where v &gt; best, or v is NaN and best is not (branch-free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector512<float> best, ref Vector512<float> idx, Vector512<float> v, Vector512<float> at)
    {
        var vIsNaN = ~Vector512.Equals(v, v);
        var bestIsNumber = Vector512.Equals(best, best);
        var take = Vector512.GreaterThan(v, best) | (vIsNaN & bestIsNumber);
        best = Vector512.ConditionalSelect(take, v, best);
        idx = Vector512.ConditionalSelect(take, at, idx);
    }

    /// <summary>Loads 2·<paramref name="n"/> floats and splits them into even and odd columns (lanes past n are zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadPairs(float* src, int n, out Vector512<float> even, out Vector512<float> odd)
    {
        Vector512<float> lo, hi;
        if (n == Lanes)
        {
            lo = Vector512.Load(src);
            hi = Vector512.Load(src + Lanes);
        }
        else
        {
            var count = Vector512.Create((float)(2 * n));
            lo = Avx512F.MaskLoad(src, Vector512.LessThan(s_laneIndex, count), Vector512<float>.Zero);
            hi = Avx512F.MaskLoad(src + Lanes, Vector512.LessThan(s_laneIndex + Vector512.Create((float)Lanes), count), Vector512<float>.Zero);
        }

        even = Avx512F.PermuteVar16x32x2(lo, s_even, hi);
        odd = Avx512F.PermuteVar16x32x2(lo, s_odd, hi);
    }

    /// <summary>Interleaves even and odd columns back into 2·<paramref name="n"/> consecutive floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePairs(float* dst, Vector512<float> even, Vector512<float> odd, int n)
    {
        var lo = Avx512F.PermuteVar16x32x2(even, s_interleaveLow, odd);
        var hi = Avx512F.PermuteVar16x32x2(even, s_interleaveHigh, odd);
        if (n == Lanes)
        {
            lo.Store(dst);
            hi.Store(dst + Lanes);
            return;
        }

        var count = Vector512.Create((float)(2 * n));
        Avx512F.MaskStore(dst, Vector512.LessThan(s_laneIndex, count), lo);
        Avx512F.MaskStore(dst + Lanes, Vector512.LessThan(s_laneIndex + Vector512.Create((float)Lanes), count), hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector512<float> v, int n)
    {
        if (n == Lanes)
        {
            v.Store(dst);
            return;
        }

        Avx512F.MaskStore(dst, Vector512.LessThan(s_laneIndex, Vector512.Create((float)n)), v);
    }
}
