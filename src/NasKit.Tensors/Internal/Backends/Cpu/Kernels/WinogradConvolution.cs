using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Winograd F(2×2, 3×3) convolution for 3×3, stride-1, undilated, ungrouped convolutions: 16 multiplies per 2×2 output tile
/// and channel pair instead of 36 (2.25× fewer), at the price of cheap add-only transforms.
/// </summary>
/// <remarks>
/// <para>With d a 4×4 input tile, g a 3×3 filter and Y the 2×2 output tile (Lavin and Gray, 2016):
/// Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, with Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]], G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]
/// and Aᵀ = [[1,1,1,0],[0,1,−1,−1]]. Summed over input channels, the element-wise product becomes 16 independent matrix
/// products M[ξν] = U[ξν]·V[ξν] (output channels × input channels × tiles), computed by the 16×16 register-tiled kernel of
/// <see cref="DirectConvolution"/>. The transforms are vectorised across 16 tiles: the padded input is split into even and odd
/// columns by two-source permutes as it is read, and the 2×2 output tiles are interleaved back by permutes and masked stores.</para>
/// <para>The input gradient is the same convolution of dY with flipped, channel-transposed filters. The filter gradient is
/// dg = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ V]G: sixteen inner-product reductions over tiles.</para>
/// <para>All entries of the transforms are 0, ±1 and ±½, so the rounding error stays close to direct convolution.</para>
/// <para>Measured against the engine's direct kernel (2 threads, Zen 4, min of 15): forward 130→156 GFLOP/s at 16 channels 32×32,
/// 160→229 at 32→64 channels 28×28, equal at 64 channels 8×8, where the direct kernel is used for the weight gradient.</para>
/// </remarks>
internal static unsafe class WinogradConvolution
{
    private const int Lanes = 16;

    /// <summary>
    /// Image ranges per thread of the forward and input-gradient loops: a few per thread, taken one at a time, so that a thread the
    /// machine delays does not hold the others up for a whole half of the batch.
    /// </summary>
    internal const int BalancedChunksPerThread = 4;
    private const int Block = 16;

    [ThreadStatic]
    private static float[]? t_work;

    private static readonly Vector512<int> s_even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> s_odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    private static readonly Vector512<int> s_interleaveLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> s_interleaveHigh = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    private static readonly Vector512<float> s_laneIndex = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Gets whether Winograd applies: 3×3, stride 1, no dilation or groups, padding ≤ 2, a batch of at least 2.</summary>
    public static bool CanUse(in Conv2dGeometry g) =>
        IsSupported && g is { KernelH: 3, KernelW: 3, StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1, Groups: 1 }
        && g.PadH <= 2 && g.PadW <= 2 && g.OutHeight > 0 && g.OutWidth > 0
        && g.InChannels >= 8 && g.OutChannels >= 8 && g.Batch >= 2;

    /// <summary>
    /// Gets whether the Winograd weight gradient beats the direct one. Measured on a 2-core Zen 4 (best of 7, 2 threads, two runs,
    /// after the fused gradient transform and side-by-side images): it wins on every NAS-Bench-201 and Fashion-MNIST shape, 8×8 planes
    /// included (64 images, 64→64 channels, 8×8: 87-89 vs 73-75 GFLOP/s; 128 images, 64→128, 14×14: 107-110 vs 94-100; 32→64, 28×28:
    /// 153-159 vs 102-108). Smaller planes were not measured and stay on the direct kernel.
    /// </summary>
    public static bool PaysForWeightGradient(in Conv2dGeometry g) => CanUse(g) && g.OutHeight >= 8 && g.OutWidth >= 8;

    /// <summary>Gets whether the input gradient can be computed as a Winograd convolution (needs padding ≤ 2).</summary>
    public static bool CanUseBackwardInput(in Conv2dGeometry g) => CanUse(g);

    private readonly record struct Layout(int TilesY, int TilesX, int T, int TPad, int RowLength, int Rows)
    {
        public static Layout For(in Conv2dGeometry g)
        {
            var tilesY = (g.OutHeight + 1) / 2;
            var tilesX = (g.OutWidth + 1) / 2;
            var t = tilesY * tilesX;
            var tPad = ((t + Lanes - 1) / Lanes * Lanes) + Lanes; // one extra vector: the last tile row stores a full vector
            var rowLength = ((tilesX + Lanes - 1) / Lanes * Lanes) + Lanes; // lanes k and k + 1 of every chunk stay inside
            return new Layout(tilesY, tilesX, t, tPad, rowLength, (2 * tilesY) + 2);
        }
    }

    public static void Forward(in Conv2dGeometry g, float[] x, int xOffset, float[] w, int wOffset, float[]? bias, int biasOffset, float[] y, int yOffset)
    {
        var u = TransformFilters(g.OutChannels, g.InChannels, w, wOffset, flip: false);
        Run(g, x, xOffset, u, bias, biasOffset, y, yOffset);
        Storage.BufferPool.Return(u);
    }

    /// <summary>
    /// Computes dX as the convolution of dY with the flipped, channel-transposed filters and padding 2 − p; with a
    /// <paramref name="gate"/> (the forward input, for a fused input ReLU), dX is kept only where the gate is positive.
    /// </summary>
    public static void BackwardInput(in Conv2dGeometry g, float[] dy, int dyOffset, float[] w, int wOffset, float[] dx, int dxOffset, float[]? gate = null, int gateOffset = 0)
    {
        var u = TransformFilters(g.InChannels, g.OutChannels, w, wOffset, flip: true);
        var transposed = new Conv2dGeometry(
            g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.InHeight, g.InWidth, 3, 3, 1, 1, 2 - g.PadH, 2 - g.PadW, 1, 1, 1);
        Run(transposed, dy, dyOffset, u, null, 0, dx, dxOffset, gate, gateOffset);
        Storage.BufferPool.Return(u);
    }

    /// <summary>
    /// U[ξν] = G g Gᵀ for every (output, input) channel pair, packed as [ξν][output block][input channel][16 outputs]. With
    /// <paramref name="flip"/>, the filter of pair (o, i) is w[i, o] rotated by 180° (input gradient).
    /// </summary>
    private static float[] TransformFilters(int outChannels, int inChannels, float[] w, int wOffset, bool flip)
    {
        var blocks = (outChannels + Block - 1) / Block;
        var packed = Storage.BufferPool.Rent(16 * blocks * inChannels * Block, out _);
        var gg = stackalloc float[21 * Block]; // rows 0..8: the filters; rows 9..20: G g
        var step = (long)blocks * inChannels * Block; // one point further
        var half = Vector512.Create(0.5f);
        fixed (float* ws = w, dst = packed)
        {
            // The 16 output channels of a block are the vector lanes; every element of the packed layout is written (lanes past
            // the last output channel get zero filters), with the scalar formula's float operations in the same order.
            for (var b = 0; b < blocks; b++)
            {
                for (var ci = 0; ci < inChannels; ci++)
                {
                    StageFilters(ws + wOffset, b, ci, outChannels, inChannels, flip, gg);

                    var at = dst + ((((long)b * inChannels) + ci) * Block);
                    for (var c = 0; c < 3; c++)
                    {
                        // tmp column c = G g[:, c] (4 values); then row r of U = [t0, ½(t0 + t1 + t2), ½(t0 − t1 + t2), t2]
                        var g0 = Vector512.Load(gg + (c * Block));
                        var g1 = Vector512.Load(gg + ((3 + c) * Block));
                        var g2 = Vector512.Load(gg + ((6 + c) * Block));
                        Vector512.Store(g0, gg + ((9 + c) * Block));
                        Vector512.Store(half * (g0 + g1 + g2), gg + ((12 + c) * Block));
                        Vector512.Store(half * (g0 - g1 + g2), gg + ((15 + c) * Block));
                        Vector512.Store(g2, gg + ((18 + c) * Block));
                    }

                    for (var r = 0; r < 4; r++)
                    {
                        var t0 = Vector512.Load(gg + ((9 + (3 * r)) * Block));
                        var t1 = Vector512.Load(gg + ((10 + (3 * r)) * Block));
                        var t2 = Vector512.Load(gg + ((11 + (3 * r)) * Block));
                        var row = at + (4 * r * step);
                        Vector512.Store(t0, row);
                        Vector512.Store(half * (t0 + t1 + t2), row + step);
                        Vector512.Store(half * (t0 - t1 + t2), row + (2 * step));
                        Vector512.Store(t2, row + (3 * step));
                    }
                }
            }
        }

        return packed;
    }

    /// <summary>
    /// Copies the 3×3 filters of the 16 output channels of block <paramref name="block"/> for input channel <paramref name="ci"/>
    /// into <paramref name="gg"/> as 9 rows of 16 lanes (row k = tap k of every channel), zero for channels past the last; with
    /// <paramref name="flip"/>, the filter of pair (o, i) is w[i, o] rotated by 180° (input gradient). Shared by the F(2×2) and
    /// F(4×4) filter transforms.
    /// </summary>
    internal static void StageFilters(float* w, int block, int ci, int outChannels, int inChannels, bool flip, float* gg)
    {
        for (var j = 0; j < Block; j++)
        {
            var co = (block * Block) + j;
            if (co >= outChannels)
            {
                for (var k = 0; k < 9; k++)
                {
                    gg[(k * Block) + j] = 0f;
                }

                continue;
            }

            var src = w + (flip ? (((long)ci * outChannels) + co) * 9 : (((long)co * inChannels) + ci) * 9);
            for (var k = 0; k < 9; k++)
            {
                gg[(k * Block) + j] = src[flip ? 8 - k : k];
            }
        }
    }

    /// <summary>Row stride and row count of the zero-padded copy the fused input transform reads (with room for vector over-reads).</summary>
    private static (int Stride, int Rows) PaddedShape(in Conv2dGeometry g, in Layout l)
    {
        var chunks = (l.TilesX + Lanes - 1) / Lanes;
        var stride = Math.Max(g.InWidth + (2 * g.PadW), 2 * chunks * Lanes) + (3 * Lanes);
        return (stride, (2 * l.TilesY) + 3);
    }

    private static void Run(in Conv2dGeometry g, float[] x, int xOffset, float[] u, float[]? bias, int biasOffset, float[] y, int yOffset, float[]? gate = null, int gateOffset = 0)
    {
        var geo = g;
        var layout = Layout.For(g);
        var (stride, rows) = PaddedShape(g, layout);
        var blocks = (g.OutChannels + Block - 1) / Block;
        var inSize = g.InChannels * g.InPlane;
        var outSize = g.OutChannels * g.OutPlane;
        var paddedSize = g.InChannels * rows * stride;
        var vSize = 16 * g.InChannels * layout.TPad;
        var mSize = 16 * Block * layout.TPad;
        CpuParallel.ForRange(g.Batch, 1, BalancedChunksPerThread, (n0, n1) =>
        {
            var work = CacheAlignment.Buffer(ref t_work, paddedSize + vSize + mSize);
            fixed (float* workStart = work, up = u, xs = x, ys = y, gs = gate)
            {
                var padded = CacheAlignment.Align(workStart);
                var v = padded + paddedSize;
                var m = v + vSize;
                var tap = stackalloc int[1];
                var zeroBias = stackalloc float[Block];
                for (var j = 0; j < Block; j++)
                {
                    zeroBias[j] = 0f;
                }

                for (var n = (int)n0; n < n1; n++)
                {
                    PadPlanes(geo, xs + xOffset + ((long)n * inSize), padded, stride, rows, bordersReady: n > n0);
                    TransformInputFused(geo, layout, padded, stride, rows, v);
                    for (var b = 0; b < blocks; b++)
                    {
                        for (var xi = 0; xi < 16; xi++)
                        {
                            var ub = up + ((((long)xi * blocks) + b) * geo.InChannels * Block);
                            var vx = v + ((long)xi * geo.InChannels * layout.TPad);
                            var mx = m + ((long)xi * Block * layout.TPad);
                            for (var t0 = 0; t0 < layout.T; t0 += Lanes)
                            {
                                DirectConvolution.Tile16(vx + t0, layout.TPad, geo.InChannels, tap, 1, ub, zeroBias, mx + t0, layout.TPad);
                            }
                        }

                        TransformOutputFused(geo, layout, m, b, bias, biasOffset, ys + yOffset + ((long)n * outSize), gs is null ? null : gs + gateOffset + ((long)n * outSize));
                    }
                }
            }
        });
    }

    /// <summary>
    /// Copies one image into zero-padded planes of <paramref name="rows"/> × <paramref name="stride"/>. The zero border is written
    /// only when <paramref name="bordersReady"/> is false: later images of the same call reuse the buffer and copy the interior only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PadPlanes(in Conv2dGeometry g, float* x, float* dst, int stride, int rows, bool bordersReady)
    {
        var width = g.InWidth;
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = dst + ((long)c * rows * stride);
            var src = x + ((long)c * g.InPlane);
            if (bordersReady)
            {
                var line = plane + ((long)g.PadH * stride) + g.PadW;
                for (var iy = 0; iy < g.InHeight; iy++)
                {
                    CopyRow(src + ((long)iy * width), line + ((long)iy * stride), width, g.ReluInput);
                }

                continue;
            }

            for (var r = 0; r < rows; r++)
            {
                var line = plane + ((long)r * stride);
                var iy = r - g.PadH;
                if ((uint)iy >= (uint)g.InHeight)
                {
                    new Span<float>(line, stride).Clear();
                    continue;
                }

                new Span<float>(line, g.PadW).Clear();
                var from = new ReadOnlySpan<float>(src + ((long)iy * width), width);
                if (g.ReluInput)
                {
                    DirectConvolution.Relu(from, new Span<float>(line + g.PadW, width));
                }
                else
                {
                    from.CopyTo(new Span<float>(line + g.PadW, width));
                }
                new Span<float>(line + g.PadW + width, stride - g.PadW - width).Clear();
            }
        }
    }

    /// <summary>Copies <paramref name="width"/> floats (through max(·, 0) when <paramref name="relu"/>, NaN kept) with full vectors and
    /// one masked tail (no byte-wise remainder loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(float* src, float* dst, int width, bool relu)
    {
        var i = 0;
        for (; i + Lanes <= width; i += Lanes)
        {
            var v = Vector512.Load(src + i);
            (relu ? Vector512.Max(v, Vector512<float>.Zero) : v).Store(dst + i);
        }

        if (i < width)
        {
            var mask = Vector512.LessThan(s_laneIndex, Vector512.Create((float)(width - i)));
            var v = Avx512F.MaskLoad(src + i, mask, Vector512<float>.Zero);
            Avx512F.MaskStore(dst + i, mask, relu ? Vector512.Max(v, Vector512<float>.Zero) : v);
        }
    }

    /// <summary>
    /// V[ξν][c][t] = (Bᵀ d_t B)[ξ][ν] for 16 tiles of one tile row at a time: per input row, loads at column 2·tx and 2·tx + 2 split by
    /// two-source permutes into the tile columns 0..3, then both transform passes in registers.
    /// </summary>
    private static void TransformInputFused(in Conv2dGeometry g, in Layout l, float* padded, int stride, int rows, float* v) =>
        TransformInputFused(g, l, padded, stride, rows, v, l.TPad, (long)g.InChannels * l.TPad);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputFused(in Conv2dGeometry g, in Layout l, float* padded, int stride, int rows, float* v, long channelStride, long vPlane)
    {
        var planeSize = (long)rows * stride;
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = padded + (c * planeSize);
            var vc = v + (c * channelStride);
            for (var ty = 0; ty < l.TilesY; ty++)
            {
                for (var tx0 = 0; tx0 < l.TilesX; tx0 += Lanes)
                {
                    var at = plane + ((long)2 * ty * stride) + (2 * tx0);
                    Columns(at, out var d00, out var d01, out var d02, out var d03);
                    Columns(at + stride, out var d10, out var d11, out var d12, out var d13);
                    Columns(at + (2 * stride), out var d20, out var d21, out var d22, out var d23);
                    Columns(at + (3 * stride), out var d30, out var d31, out var d32, out var d33);

                    // Bᵀ d: rows (d0 − d2, d1 + d2, d2 − d1, d1 − d3)
                    var r00 = d00 - d20; var r01 = d01 - d21; var r02 = d02 - d22; var r03 = d03 - d23;
                    var r10 = d10 + d20; var r11 = d11 + d21; var r12 = d12 + d22; var r13 = d13 + d23;
                    var r20 = d20 - d10; var r21 = d21 - d11; var r22 = d22 - d12; var r23 = d23 - d13;
                    var r30 = d10 - d30; var r31 = d11 - d31; var r32 = d12 - d32; var r33 = d13 - d33;

                    var dst = vc + (ty * l.TilesX) + tx0;
                    StoreRow(dst, vPlane, 0, r00, r01, r02, r03);
                    StoreRow(dst, vPlane, 1, r10, r11, r12, r13);
                    StoreRow(dst, vPlane, 2, r20, r21, r22, r23);
                    StoreRow(dst, vPlane, 3, r30, r31, r32, r33);
                }
            }
        }
    }

    /// <summary>Columns 2·tx + j (j = 0..3) of 16 consecutive tiles, from one padded input row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(float* at, out Vector512<float> c0, out Vector512<float> c1, out Vector512<float> c2, out Vector512<float> c3)
    {
        var lo = Vector512.Load(at);
        var hi = Vector512.Load(at + Lanes);
        var lo2 = Vector512.Load(at + 2);
        var hi2 = Vector512.Load(at + 2 + Lanes);
        c0 = Avx512F.PermuteVar16x32x2(lo, s_even, hi);
        c1 = Avx512F.PermuteVar16x32x2(lo, s_odd, hi);
        c2 = Avx512F.PermuteVar16x32x2(lo2, s_even, hi2);
        c3 = Avx512F.PermuteVar16x32x2(lo2, s_odd, hi2);
    }

    /// <summary>Stores row ξ of (Bᵀ d) B: (r0 − r2, r1 + r2, r2 − r1, r1 − r3) as V[ξ·4 + ν].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* dst, long vPlane, int xi, Vector512<float> r0, Vector512<float> r1, Vector512<float> r2, Vector512<float> r3)
    {
        var basePtr = dst + ((long)xi * 4 * vPlane);
        (r0 - r2).Store(basePtr);
        (r1 + r2).Store(basePtr + vPlane);
        (r2 - r1).Store(basePtr + (2 * vPlane));
        (r1 - r3).Store(basePtr + (3 * vPlane));
    }

    /// <summary>
    /// Y_t = Aᵀ M_t A (+ bias) for one block of output channels, 16 tiles of a tile row at a time; the 2×2 outputs of the tiles are
    /// interleaved by permutes into two output rows and written with masked stores (no scalar placement).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformOutputFused(in Conv2dGeometry g, in Layout l, float* m, int block, float[]? bias, int biasOffset, float* y, float* gate)
    {
        var count = Math.Min(Block, g.OutChannels - (block * Block));
        var plane = (long)Block * l.TPad;
        for (var j = 0; j < count; j++)
        {
            var co = (block * Block) + j;
            var b = Vector512.Create(bias is null ? 0f : bias[biasOffset + co]);
            var mj = m + ((long)j * l.TPad);
            var outPlane = y + ((long)co * g.OutPlane);
            var gatePlane = gate is null ? null : gate + ((long)co * g.OutPlane);
            for (var ty = 0; ty < l.TilesY; ty++)
            {
                var row0 = outPlane + ((long)2 * ty * g.OutWidth);
                var gateRow0 = gatePlane is null ? null : gatePlane + ((long)2 * ty * g.OutWidth);
                var hasRow1 = (2 * ty) + 1 < g.OutHeight;
                for (var tx0 = 0; tx0 < l.TilesX; tx0 += Lanes)
                {
                    var t = (ty * l.TilesX) + tx0;
                    var s00 = Vector512.Load(mj + t) + Vector512.Load(mj + (4 * plane) + t) + Vector512.Load(mj + (8 * plane) + t);
                    var s01 = Vector512.Load(mj + plane + t) + Vector512.Load(mj + (5 * plane) + t) + Vector512.Load(mj + (9 * plane) + t);
                    var s02 = Vector512.Load(mj + (2 * plane) + t) + Vector512.Load(mj + (6 * plane) + t) + Vector512.Load(mj + (10 * plane) + t);
                    var s03 = Vector512.Load(mj + (3 * plane) + t) + Vector512.Load(mj + (7 * plane) + t) + Vector512.Load(mj + (11 * plane) + t);
                    var y00 = s00 + s01 + s02 + b;
                    var y01 = s01 - s02 - s03 + b;
                    var columns = Math.Min(2 * Lanes, g.OutWidth - (2 * tx0));
                    StoreInterleaved(row0 + (2 * tx0), y00, y01, columns, gateRow0 is null ? null : gateRow0 + (2 * tx0));
                    if (hasRow1)
                    {
                        var s10 = Vector512.Load(mj + (4 * plane) + t) - Vector512.Load(mj + (8 * plane) + t) - Vector512.Load(mj + (12 * plane) + t);
                        var s11 = Vector512.Load(mj + (5 * plane) + t) - Vector512.Load(mj + (9 * plane) + t) - Vector512.Load(mj + (13 * plane) + t);
                        var s12 = Vector512.Load(mj + (6 * plane) + t) - Vector512.Load(mj + (10 * plane) + t) - Vector512.Load(mj + (14 * plane) + t);
                        var s13 = Vector512.Load(mj + (7 * plane) + t) - Vector512.Load(mj + (11 * plane) + t) - Vector512.Load(mj + (15 * plane) + t);
                        StoreInterleaved(row0 + g.OutWidth + (2 * tx0), s10 + s11 + s12 + b, s11 - s12 - s13 + b, columns, gateRow0 is null ? null : gateRow0 + g.OutWidth + (2 * tx0));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes the first <paramref name="columns"/> (≤ 32) of a₀ b₀ a₁ b₁ … a₁₅ b₁₅; with a <paramref name="gate"/> (same columns of
    /// the forward input), zero where the gate is not positive (the ReLU's backward: NaN gates give zero too).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(float* dst, Vector512<float> a, Vector512<float> b, int columns, float* gate)
    {
        var low = Avx512F.PermuteVar16x32x2(a, s_interleaveLow, b);
        var high = Avx512F.PermuteVar16x32x2(a, s_interleaveHigh, b);
        if (columns >= 2 * Lanes)
        {
            if (gate is not null)
            {
                low = Gate(low, Vector512.Load(gate));
                high = Gate(high, Vector512.Load(gate + Lanes));
            }

            low.Store(dst);
            high.Store(dst + Lanes);
            return;
        }

        var n = Vector512.Create((float)columns);
        var lowMask = Vector512.LessThan(s_laneIndex, n);
        if (gate is not null)
        {
            low = Gate(low, Avx512F.MaskLoad(gate, lowMask, Vector512<float>.Zero));
        }

        Avx512F.MaskStore(dst, lowMask, low);
        if (columns > Lanes)
        {
            var highMask = Vector512.LessThan(s_laneIndex, n - Vector512.Create((float)Lanes));
            if (gate is not null)
            {
                high = Gate(high, Avx512F.MaskLoad(gate + Lanes, highMask, Vector512<float>.Zero));
            }

            Avx512F.MaskStore(dst + Lanes, highMask, high);
        }
    }

    /// <summary>Lanes of <paramref name="value"/> where <paramref name="gate"/> &gt; 0, zero elsewhere (the ReLU gradient rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Gate(Vector512<float> value, Vector512<float> gate) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(gate, Vector512<float>.Zero), value, Vector512<float>.Zero);

    /// <summary>
    /// Computes dW (overwriting it) and, when given, db = Σ dY. Tiles of several images are laid side by side along the tile
    /// axis, so each of the 16 reductions dU[ξν] = Σ_t dM[ξν][·][t]·V[ξν][·][t] runs long vectors before its horizontal sums;
    /// then dW = Gᵀ dU G. Images are split across threads and the per-thread partial sums are added in thread order.
    /// </summary>
    public static void BackwardWeight(in Conv2dGeometry g, float[] dy, int dyOffset, float[] x, int xOffset, float[] dw, int dwOffset, float[]? db, int dbOffset)
    {
        var geo = g;
        var layout = Layout.For(g);
        var (stride, rows) = PaddedShape(g, layout);
        // Images sit side by side every `imageStride` tiles. A tile row's full-vector stores spill up to 15 lanes past the image's
        // last tile; the spill lands in the next image's columns (rewritten when that image is transformed) or, for the last
        // image, in a trailing vector of slack; the columns [T, imageStride) are cleared after each image.
        var imageStride = (layout.T + Lanes - 1) / Lanes * Lanes;
        var group = Math.Clamp(1024 / imageStride, 1, 16);
        var chunks = CpuParallel.InParallelRegion ? 1 : Math.Min(CpuParallel.ThreadCount, g.Batch);
        var inSize = g.InChannels * g.InPlane;
        var outSize = g.OutChannels * g.OutPlane;
        var partials = new float[chunks][];
        var biasPartials = new double[chunks][];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Chunk(int chunk)
        {
            var (n0, n1) = CpuParallel.ChunkBounds(geo.Batch, chunks, chunk);
            var span = Math.Min(group, (int)(n1 - n0));
            var width = (span * imageStride) + Lanes; // tile axis of the whole group, with slack for the last image's spill
            var paddedSize = geo.InChannels * rows * stride;
            var vSize = 16 * geo.InChannels * width;
            var mSize = 16 * geo.OutChannels * width;
            var work = CacheAlignment.Buffer(ref t_work, paddedSize + vSize + mSize);
            var du = Storage.BufferPool.RentCleared(16 * geo.OutChannels * geo.InChannels);
            var biasPartial = db is null ? null : new double[geo.OutChannels];
            var partialSums = stackalloc float[16 * Lanes];
            fixed (float* workStart = work, dup = du, xs = x, dys = dy)
            {
                var padded = CacheAlignment.Align(workStart);
                var v = padded + paddedSize;
                var m = v + vSize;
                for (var first = (int)n0; first < n1; first += span)
                {
                    var count = Math.Min(span, (int)(n1 - first));
                    for (var i = 0; i < count; i++)
                    {
                        PadPlanes(geo, xs + xOffset + ((long)(first + i) * inSize), padded, stride, rows, bordersReady: first + i > n0);
                        TransformInputFused(geo, layout, padded, stride, rows, v + ((long)i * imageStride), width, (long)geo.InChannels * width);
                        TransformGradientFused(geo, layout, dys + dyOffset + ((long)(first + i) * outSize), m + ((long)i * imageStride), width, biasPartial);
                        if (layout.T < imageStride)
                        {
                            // Spill lanes (finite, or NaN from non-finite inputs) must not meet the reduction: zero both operands there.
                            for (var r = 0; r < 16 * geo.InChannels; r++)
                            {
                                new Span<float>(v + ((long)r * width) + ((long)i * imageStride) + layout.T, imageStride - layout.T).Clear();
                            }

                            for (var r = 0; r < 16 * geo.OutChannels; r++)
                            {
                                new Span<float>(m + ((long)r * width) + ((long)i * imageStride) + layout.T, imageStride - layout.T).Clear();
                            }
                        }
                    }

                    for (var xi = 0; xi < 16; xi++)
                    {
                        var mx = m + ((long)xi * geo.OutChannels * width);
                        var vx = v + ((long)xi * geo.InChannels * width);
                        var ux = dup + ((long)xi * geo.OutChannels * geo.InChannels);
                        for (var co0 = 0; co0 < geo.OutChannels; co0 += 4)
                        {
                            for (var ci0 = 0; ci0 < geo.InChannels; ci0 += 4)
                            {
                                DotTile(mx, vx, width, co0, geo.OutChannels, ci0, geo.InChannels, count * imageStride, ux, partialSums);
                            }
                        }
                    }
                }
            }

            partials[chunk] = du;
            biasPartials[chunk] = biasPartial!;
        }

        if (chunks == 1)
        {
            Chunk(0);
        }
        else
        {
            CpuParallel.For(chunks, Chunk);
        }

        var total = partials[0];
        var totalLength = 16 * g.OutChannels * g.InChannels;
        for (var c = 1; c < chunks; c++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(total.AsSpan(0, totalLength), partials[c].AsSpan(0, totalLength), total.AsSpan(0, totalLength));
            Storage.BufferPool.Return(partials[c]);
        }

        // dW = Gᵀ dU G for every (output, input) channel pair
        var pairs = g.OutChannels * g.InChannels;
        Span<float> tmp = stackalloc float[12];
        for (var pair = 0; pair < pairs; pair++)
        {
            // tmp = Gᵀ dU (3×4); Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]]
            for (var nu = 0; nu < 4; nu++)
            {
                float u0 = total[(nu * pairs) + pair], u1 = total[((4 + nu) * pairs) + pair];
                float u2 = total[((8 + nu) * pairs) + pair], u3 = total[((12 + nu) * pairs) + pair];
                tmp[nu] = u0 + (0.5f * (u1 + u2));
                tmp[4 + nu] = 0.5f * (u1 - u2);
                tmp[8 + nu] = (0.5f * (u1 + u2)) + u3;
            }

            // dW = tmp G (3×3); G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]
            var dst = dwOffset + (pair * 9);
            for (var r = 0; r < 3; r++)
            {
                float t0 = tmp[r * 4], t1 = tmp[(r * 4) + 1], t2 = tmp[(r * 4) + 2], t3 = tmp[(r * 4) + 3];
                dw[dst + (r * 3)] = t0 + (0.5f * (t1 + t2));
                dw[dst + (r * 3) + 1] = 0.5f * (t1 - t2);
                dw[dst + (r * 3) + 2] = (0.5f * (t1 + t2)) + t3;
            }
        }

        Storage.BufferPool.Return(total);
        if (db is not null)
        {
            for (var co = 0; co < g.OutChannels; co++)
            {
                double sum = 0;
                for (var c = 0; c < chunks; c++)
                {
                    sum += biasPartials[c][co];
                }

                db[dbOffset + co] = (float)sum;
            }
        }
    }

    /// <summary>
    /// dM[ξν][co][t] = (A dY_t Aᵀ)[ξν] for one image, 16 tiles of a tile row at a time: two output rows are loaded with masks (zero
    /// outside the output) and split into even and odd columns by permutes. Also adds Σ dY to the bias gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformGradientFused(in Conv2dGeometry g, in Layout l, float* dy, float* m, int width, double[]? biasPartial)
    {
        var plane = (long)g.OutChannels * width;
        for (var co = 0; co < g.OutChannels; co++)
        {
            var src = dy + ((long)co * g.OutPlane);
            if (biasPartial is not null)
            {
                biasPartial[co] += CpuBackend.SumPreciseDouble(new ReadOnlySpan<float>(src, g.OutPlane));
            }

            var dst = m + ((long)co * width);
            for (var ty = 0; ty < l.TilesY; ty++)
            {
                var row0 = src + ((long)2 * ty * g.OutWidth);
                var hasRow1 = (2 * ty) + 1 < g.OutHeight;
                for (var tx0 = 0; tx0 < l.TilesX; tx0 += Lanes)
                {
                    var columns = Math.Min(2 * Lanes, g.OutWidth - (2 * tx0));
                    LoadDeinterleaved(row0 + (2 * tx0), columns, out var a00, out var a01);
                    Vector512<float> a10 = default, a11 = default;
                    if (hasRow1)
                    {
                        LoadDeinterleaved(row0 + g.OutWidth + (2 * tx0), columns, out a10, out a11);
                    }

                    // Z = dY Aᵀ: row i = [y_i0, y_i0 + y_i1, y_i0 − y_i1, −y_i1]; dM = A Z: rows [Z0, Z0 + Z1, Z0 − Z1, −Z1]
                    var z01 = a00 + a01;
                    var z02 = a00 - a01;
                    var z11 = a10 + a11;
                    var z12 = a10 - a11;
                    var at = dst + (ty * l.TilesX) + tx0;
                    a00.Store(at);
                    z01.Store(at + plane);
                    z02.Store(at + (2 * plane));
                    (-a01).Store(at + (3 * plane));
                    (a00 + a10).Store(at + (4 * plane));
                    (z01 + z11).Store(at + (5 * plane));
                    (z02 + z12).Store(at + (6 * plane));
                    (-a01 - a11).Store(at + (7 * plane));
                    (a00 - a10).Store(at + (8 * plane));
                    (z01 - z11).Store(at + (9 * plane));
                    (z02 - z12).Store(at + (10 * plane));
                    (a11 - a01).Store(at + (11 * plane));
                    (-a10).Store(at + (12 * plane));
                    (-z11).Store(at + (13 * plane));
                    (-z12).Store(at + (14 * plane));
                    a11.Store(at + (15 * plane));
                }
            }
        }
    }

    /// <summary>Loads the first <paramref name="columns"/> (≤ 32) floats of a row (zero beyond) and splits them into even and odd columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadDeinterleaved(float* src, int columns, out Vector512<float> even, out Vector512<float> odd)
    {
        Vector512<float> lo, hi;
        if (columns >= 2 * Lanes)
        {
            lo = Vector512.Load(src);
            hi = Vector512.Load(src + Lanes);
        }
        else
        {
            var n = Vector512.Create((float)columns);
            lo = Avx512F.MaskLoad(src, Vector512.LessThan(s_laneIndex, n), Vector512<float>.Zero);
            hi = columns > Lanes
                ? Avx512F.MaskLoad(src + Lanes, Vector512.LessThan(s_laneIndex, n - Vector512.Create((float)Lanes)), Vector512<float>.Zero)
                : Vector512<float>.Zero;
        }

        even = Avx512F.PermuteVar16x32x2(lo, s_even, hi);
        odd = Avx512F.PermuteVar16x32x2(lo, s_odd, hi);
    }

    /// <summary>acc[co][ci] += Σ_t a[co][t]·b[ci][t] for a 4×4 block of (output, input) channels, rows of length <paramref name="length"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotTile(float* a, float* b, int stride, int co0, int outChannels, int ci0, int inChannels, int length, float* acc, float* partial)
    {
        var rowsA = Math.Min(4, outChannels - co0);
        var rowsB = Math.Min(4, inChannels - ci0);
        var a0 = a + ((long)co0 * stride);
        var b0 = b + ((long)ci0 * stride);
        new Span<float>(partial, 16 * Lanes).Clear();
        DirectConvolution.DotTile4x4(
            a0, rowsA > 1 ? a0 + stride : a0, rowsA > 2 ? a0 + (2L * stride) : a0, rowsA > 3 ? a0 + (3L * stride) : a0,
            b0, rowsB > 1 ? b0 + stride : b0, rowsB > 2 ? b0 + (2L * stride) : b0, rowsB > 3 ? b0 + (3L * stride) : b0,
            length, partial);
        for (var i = 0; i < rowsA; i++)
        {
            for (var j = 0; j < rowsB; j++)
            {
                acc[((long)(co0 + i) * inChannels) + ci0 + j] += Vector512.Sum(Vector512.Load(partial + (((i * 4) + j) * Lanes)));
            }
        }
    }
}
