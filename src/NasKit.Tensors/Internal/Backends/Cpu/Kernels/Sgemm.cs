using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, row-major, in the BLIS style: B is packed into
/// KC×NR column panels, A into MC×KC row panels of MR rows, and a register-tiled FMA micro-kernel computes one
/// MR×NR tile of C per call. AVX-512 machines use an 8×32 kernel (16 zmm accumulators), AVX2 machines 6×16.
/// </summary>
/// <remarks>
/// When beta is 0, C is never read, so C may hold garbage (even NaN) on entry, as BLAS specifies.
/// Large products are split across threads by column (or row) blocks of whole micro-tiles; every element of C is
/// computed by exactly one thread with the same summation order, so results do not depend on the thread count.
/// </remarks>
internal static unsafe class Sgemm
{
    private const int KC = 256;
    private const int MC = 144;
    private const int NC = 3072;

    // Products smaller than this many multiply-adds run on one thread: the fork-join costs more than it saves.
    private const long ParallelThreshold = 1L << 20;

    private static readonly bool s_avx512 = Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;
    private static readonly bool s_avx2 = Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;

    private static int MR => s_avx512 ? 8 : 6;

    private static int NR => s_avx512 ? 32 : 16;

    [ThreadStatic]
    private static float[]? t_packA;

    [ThreadStatic]
    private static float[]? t_packB;

    /// <summary>Computes one product. Offsets index into the arrays; leading dimensions are row strides of the stored matrices.</summary>
    public static void Compute(
        bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int offsetA, int lda,
        float[] b, int offsetB, int ldb,
        float beta, float[] c, int offsetC, int ldc)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, offsetC, ldc);
            return;
        }

        if (!s_avx512 && !s_avx2)
        {
            Reference(transA, transB, m, n, k, alpha, a, offsetA, lda, b, offsetB, ldb, beta, c, offsetC, ldc);
            return;
        }

        var work = (long)m * n * k;
        var threads = CpuParallel.InParallelRegion ? 1 : CpuParallel.ThreadCount;
        if (threads > 1 && work >= ParallelThreshold)
        {
            var nTiles = (n + NR - 1) / NR;
            var mTiles = (m + MR - 1) / MR;
            if (nTiles >= mTiles)
            {
                var chunks = Math.Min(threads, nTiles);
                CpuParallel.For(chunks, chunk =>
                {
                    var (t0, t1) = CpuParallel.ChunkBounds(nTiles, chunks, chunk);
                    var j0 = (int)t0 * NR;
                    var j1 = Math.Min(n, (int)t1 * NR);
                    if (j1 > j0)
                    {
                        Blocked(transA, transB, m, j1 - j0, k, alpha, a, offsetA, lda, b, offsetB + (transB ? j0 * ldb : j0), ldb, beta, c, offsetC + j0, ldc);
                    }
                });
            }
            else
            {
                var chunks = Math.Min(threads, mTiles);
                CpuParallel.For(chunks, chunk =>
                {
                    var (t0, t1) = CpuParallel.ChunkBounds(mTiles, chunks, chunk);
                    var i0 = (int)t0 * MR;
                    var i1 = Math.Min(m, (int)t1 * MR);
                    if (i1 > i0)
                    {
                        Blocked(transA, transB, i1 - i0, n, k, alpha, a, offsetA + (transA ? i0 : i0 * lda), lda, b, offsetB, ldb, beta, c, offsetC + (i0 * ldc), ldc);
                    }
                });
            }

            return;
        }

        Blocked(transA, transB, m, n, k, alpha, a, offsetA, lda, b, offsetB, ldb, beta, c, offsetC, ldc);
    }

    /// <summary>Straightforward triple loop in double precision: the oracle the blocked kernel is tested against.</summary>
    public static void Reference(
        bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int offsetA, int lda,
        float[] b, int offsetB, int ldb,
        float beta, float[] c, int offsetC, int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double acc = 0;
                for (var p = 0; p < k; p++)
                {
                    var av = transA ? a[offsetA + (p * lda) + i] : a[offsetA + (i * lda) + p];
                    var bv = transB ? b[offsetB + (j * ldb) + p] : b[offsetB + (p * ldb) + j];
                    acc += (double)av * bv;
                }

                ref var cv = ref c[offsetC + (i * ldc) + j];
                cv = beta == 0f ? (float)(alpha * acc) : (float)((alpha * acc) + (beta * cv));
            }
        }
    }

    private static void ScaleC(int m, int n, float beta, float[] c, int offsetC, int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            var row = c.AsSpan(offsetC + (i * ldc), n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    private static void Blocked(
        bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int offsetA, int lda,
        float[] b, int offsetB, int ldb,
        float beta, float[] c, int offsetC, int ldc)
    {
        var mr = MR;
        var nr = NR;
        var packA = t_packA ??= GC.AllocateUninitializedArray<float>(((MC + 8) * KC) + CacheAlignment.Slack, pinned: true);
        var packB = t_packB ??= GC.AllocateUninitializedArray<float>(((NC + 32) * KC) + CacheAlignment.Slack, pinned: true);

        fixed (float* packAStart = packA, packBStart = packB, aBase = a, bBase = b, cBase = c)
        {
            // The micro-kernel's 512-bit loads of the packed panels must not straddle cache lines.
            var pa = CacheAlignment.Align(packAStart);
            var pb = CacheAlignment.Align(packBStart);
            for (var jc = 0; jc < n; jc += NC)
            {
                var nc = Math.Min(NC, n - jc);
                for (var pc = 0; pc < k; pc += KC)
                {
                    var kc = Math.Min(KC, k - pc);
                    var betaEff = pc == 0 ? beta : 1f;
                    PackB(transB, kc, nc, bBase + offsetB, ldb, pc, jc, pb, nr);
                    for (var ic = 0; ic < m; ic += MC)
                    {
                        var mcc = Math.Min(MC, m - ic);
                        PackA(transA, mcc, kc, aBase + offsetA, lda, ic, pc, pa, mr);
                        for (var jr = 0; jr < nc; jr += nr)
                        {
                            var nrr = Math.Min(nr, nc - jr);
                            var bPanel = pb + (jr * kc);
                            for (var ir = 0; ir < mcc; ir += mr)
                            {
                                var mrr = Math.Min(mr, mcc - ir);
                                var aPanel = pa + (ir * kc);
                                var cTile = cBase + offsetC + ((long)(ic + ir) * ldc) + jc + jr;
                                if (mrr == mr && nrr == nr)
                                {
                                    if (s_avx512)
                                    {
                                        Kernel8x32(kc, aPanel, bPanel, cTile, ldc, alpha, betaEff);
                                    }
                                    else
                                    {
                                        Kernel6x16(kc, aPanel, bPanel, cTile, ldc, alpha, betaEff);
                                    }
                                }
                                else
                                {
                                    EdgeTile(kc, aPanel, bPanel, cTile, ldc, alpha, betaEff, mrr, nrr);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void EdgeTile(int kc, float* aPanel, float* bPanel, float* cTile, int ldc, float alpha, float beta, int rows, int cols)
    {
        var tmp = stackalloc float[8 * 32];
        if (s_avx512)
        {
            Kernel8x32(kc, aPanel, bPanel, tmp, 32, 1f, 0f);
        }
        else
        {
            Kernel6x16(kc, aPanel, bPanel, tmp, 16, 1f, 0f);
        }

        var nr = NR;
        for (var i = 0; i < rows; i++)
        {
            var crow = cTile + ((long)i * ldc);
            var trow = tmp + (i * nr);
            if (beta == 0f)
            {
                for (var j = 0; j < cols; j++)
                {
                    crow[j] = alpha * trow[j];
                }
            }
            else
            {
                for (var j = 0; j < cols; j++)
                {
                    crow[j] = (alpha * trow[j]) + (beta * crow[j]);
                }
            }
        }
    }

    /// <summary>Packs the mc×kc block of op(A) at (ic, pc) into MR-row panels: panel p holds, for each k, MR consecutive values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, int mc, int kc, float* a, int lda, int ic, int pc, float* dst, int mr)
    {
        for (var ir = 0; ir < mc; ir += mr)
        {
            var rows = Math.Min(mr, mc - ir);
            var panel = dst + (ir * kc);
            if (!transA)
            {
                // A(i, p) = a[i*lda + p]: the panel is the transpose of the stored rows. A full panel of 8 rows goes through
                // registers 8×8 at a time; the rest of the depth (and every value of a partial panel) is scattered one value at a
                // time with stride mr.
                var transposedDepth = mr == 8 && rows == 8 ? kc / 8 * 8 : 0;
                for (var p0 = 0; p0 < transposedDepth; p0 += 8)
                {
                    Transpose8x8(a + ((long)(ic + ir) * lda) + pc + p0, lda, panel + (p0 * mr), mr);
                }

                for (var r = 0; r < rows; r++)
                {
                    var src = a + ((long)(ic + ir + r) * lda) + pc;
                    var d = panel + r;
                    for (var p = transposedDepth; p < kc; p++)
                    {
                        d[p * mr] = src[p];
                    }
                }
            }
            else
            {
                // A(i, p) = a[p*lda + i]: for each p, the mr values are contiguous.
                for (var p = 0; p < kc; p++)
                {
                    var src = a + ((long)(pc + p) * lda) + ic + ir;
                    var d = panel + (p * mr);
                    for (var r = 0; r < rows; r++)
                    {
                        d[r] = src[r];
                    }
                }
            }

            if (rows < mr)
            {
                for (var p = 0; p < kc; p++)
                {
                    var d = panel + (p * mr);
                    for (var r = rows; r < mr; r++)
                    {
                        d[r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes the transpose of the 8×8 block at <paramref name="src"/> (rows <paramref name="srcStride"/> apart) to
    /// <paramref name="dst"/> (rows <paramref name="dstStride"/> apart): dst[c·dstStride + r] = src[r·srcStride + c].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + (2 * srcStride));
        var r3 = Avx.LoadVector256(src + (3 * srcStride));
        var r4 = Avx.LoadVector256(src + (4 * srcStride));
        var r5 = Avx.LoadVector256(src + (5 * srcStride));
        var r6 = Avx.LoadVector256(src + (6 * srcStride));
        var r7 = Avx.LoadVector256(src + (7 * srcStride));

        // Interleave pairs of rows, then pairs of pairs: each 128-bit half then holds a 4×4 sub-block's column.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join the low halves (columns 0–3) and the high halves (columns 4–7) of rows 0–3 and 4–7.
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + (2 * dstStride), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + (3 * dstStride), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + (4 * dstStride), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + (5 * dstStride), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + (6 * dstStride), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + (7 * dstStride), Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Packs the kc×nc block of op(B) at (pc, jc) into NR-column panels: panel q holds, for each k, NR consecutive values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, int kc, int nc, float* b, int ldb, int pc, int jc, float* dst, int nr)
    {
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = Math.Min(nr, nc - jr);
            var panel = dst + (jr * kc);
            if (!transB)
            {
                for (var p = 0; p < kc; p++)
                {
                    var src = b + ((long)(pc + p) * ldb) + jc + jr;
                    var d = panel + (p * nr);
                    if (cols == nr)
                    {
                        if (nr == 32)
                        {
                            Vector512.Store(Vector512.Load(src), d);
                            Vector512.Store(Vector512.Load(src + 16), d + 16);
                        }
                        else
                        {
                            Vector256.Store(Vector256.Load(src), d);
                            Vector256.Store(Vector256.Load(src + 8), d + 8);
                        }
                    }
                    else
                    {
                        var j = 0;
                        for (; j < cols; j++)
                        {
                            d[j] = src[j];
                        }

                        for (; j < nr; j++)
                        {
                            d[j] = 0f;
                        }
                    }
                }
            }
            else
            {
                // B(p, j) = b[j*ldb + p]: the panel is the transpose of the stored rows. Blocks of 8 stored rows × 8 values go
                // through registers; what is left of each row is scattered one value at a time with stride nr.
                var fullColumns = cols / 8 * 8;
                var fullDepth = kc / 8 * 8;
                for (var j0 = 0; j0 < fullColumns; j0 += 8)
                {
                    var src = b + ((long)(jc + jr + j0) * ldb) + pc;
                    for (var p = 0; p < fullDepth; p += 8)
                    {
                        Transpose8x8(src + p, ldb, panel + (p * nr) + j0, nr);
                    }
                }

                for (var j = 0; j < cols; j++)
                {
                    var src = b + ((long)(jc + jr + j) * ldb) + pc;
                    var d = panel + j;
                    for (var p = j < fullColumns ? fullDepth : 0; p < kc; p++)
                    {
                        d[p * nr] = src[p];
                    }
                }

                if (cols < nr)
                {
                    for (var p = 0; p < kc; p++)
                    {
                        var d = panel + (p * nr);
                        for (var j = cols; j < nr; j++)
                        {
                            d[j] = 0f;
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;

        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(av, b1, c71);
            a += 8;
            b += 32;
        }

        var va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Store2(c, va, c00, c01);
            Store2(c + ldc, va, c10, c11);
            Store2(c + (2 * ldc), va, c20, c21);
            Store2(c + (3 * ldc), va, c30, c31);
            Store2(c + (4 * ldc), va, c40, c41);
            Store2(c + (5 * ldc), va, c50, c51);
            Store2(c + (6 * ldc), va, c60, c61);
            Store2(c + (7 * ldc), va, c70, c71);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Update2(c, va, vb, c00, c01);
            Update2(c + ldc, va, vb, c10, c11);
            Update2(c + (2 * ldc), va, vb, c20, c21);
            Update2(c + (3 * ldc), va, vb, c30, c31);
            Update2(c + (4 * ldc), va, vb, c40, c41);
            Update2(c + (5 * ldc), va, vb, c50, c51);
            Update2(c + (6 * ldc), va, vb, c60, c61);
            Update2(c + (7 * ldc), va, vb, c70, c71);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* row, Vector512<float> alpha, Vector512<float> x0, Vector512<float> x1)
    {
        Vector512.Store(x0 * alpha, row);
        Vector512.Store(x1 * alpha, row + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update2(float* row, Vector512<float> alpha, Vector512<float> beta, Vector512<float> x0, Vector512<float> x1)
    {
        Vector512.Store(Vector512.FusedMultiplyAdd(x0, alpha, Vector512.Load(row) * beta), row);
        Vector512.Store(Vector512.FusedMultiplyAdd(x1, alpha, Vector512.Load(row + 16) * beta), row + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;

        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }

        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        var rows = stackalloc Vector256<float>[12] { c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51 };
        for (var i = 0; i < 6; i++)
        {
            var row = c + ((long)i * ldc);
            if (beta == 0f)
            {
                Vector256.Store(rows[2 * i] * va, row);
                Vector256.Store(rows[(2 * i) + 1] * va, row + 8);
            }
            else
            {
                Vector256.Store(Vector256.FusedMultiplyAdd(rows[2 * i], va, Vector256.Load(row) * vb), row);
                Vector256.Store(Vector256.FusedMultiplyAdd(rows[(2 * i) + 1], va, Vector256.Load(row + 8) * vb), row + 8);
            }
        }
    }
}
