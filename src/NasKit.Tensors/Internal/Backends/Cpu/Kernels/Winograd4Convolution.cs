using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Winograd F(4×4, 3×3) convolution for 3×3, stride-1, undilated, ungrouped convolutions (forward, input and weight gradients): 36
/// multiplies per 4×4 output tile and channel pair instead of 144 (4× fewer; F(2×2, 3×3) saves 2.25×), at the price of
/// transforms with small integer and fractional coefficients.
/// </summary>
/// <remarks>
/// <para>With d a 6×6 input tile, g a 3×3 filter and Y the 4×4 output tile (Lavin and Gray, 2016; interpolation points 0, ±1, ±2
/// and ∞): Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A with
/// Bᵀ = [[4,0,−5,0,1,0],[0,−4,−4,1,1,0],[0,4,−4,−1,1,0],[0,−2,−1,2,1,0],[0,2,−1,−2,1,0],[0,4,0,−5,0,1]],
/// G = [[¼,0,0],[−⅙,−⅙,−⅙],[−⅙,⅙,−⅙],[1/24,1/12,⅙],[1/24,−1/12,⅙],[0,0,1]] and
/// Aᵀ = [[1,1,1,1,1,0],[0,1,−1,2,−2,0],[0,1,1,4,4,0],[0,1,−1,8,−8,1]].
/// Summed over input channels, the element-wise product becomes 36 independent matrix products M[ξν] = U[ξν]·V[ξν] (output
/// channels × input channels × tiles), computed by the 16×16 register-tiled kernel of <see cref="DirectConvolution"/>.</para>
/// <para>The tile axis runs over the tiles of a group of images, so that 8×8 planes (4 tiles each) still fill 16-lane vectors. Each
/// input plane is zero-padded; the 36 elements of its tiles are gathered into 36 rows over the tile axis (stride-4 columns by
/// two-source permutes, or, for planes of at most 4 tiles per row, permutes across tile rows or hardware gathers straight into the
/// transform), and the transforms are then plain vector arithmetic over 16 tiles at a time; the 4×4 output tiles are interleaved
/// back into rows by permutes and written with masked stores.</para>
/// <para>The input gradient is the same convolution of dY with flipped, channel-transposed filters. The filter gradient is
/// dg = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ V]G: the same input transform, a transform of 4×4 gradient tiles, and 36 matrix products over the
/// tile axis by the engine's SGEMM.</para>
/// <para>Rounding: the transforms scale values by up to 5 (Bᵀ) and 8 (Aᵀ), so the error is about ten times that of F(2×2, 3×3):
/// measured against im2col on the NAS-Bench-201 and Fashion-MNIST shapes, 3e-6 to 8e-6 of the output's largest magnitude (5e-7
/// to 7e-7 for F(2×2, 3×3)).</para>
/// </remarks>
internal static unsafe class Winograd4Convolution
{
    private const int Lanes = 16;
    private const int Block = 16;
    private const int Points = 36;

    [ThreadStatic]
    private static float[]? t_work;

    // Lanes 0..7: elements 0, 4, ..., 28 of the 32-float pair (the upper lanes are not used); then the same shifted by 1, 2, 3.
    private static readonly Vector512<int> s_stride4 = Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 0, 4, 8, 12, 16, 20, 24, 28);
    private static readonly Vector512<int> s_stride4Plus1 = s_stride4 + Vector512<int>.One;
    private static readonly Vector512<int> s_stride4Plus2 = s_stride4 + Vector512.Create(2);
    private static readonly Vector512<int> s_stride4Plus3 = s_stride4 + Vector512.Create(3);
    private static readonly Vector512<int> s_pairs = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> s_quadsLow = Vector512.Create(0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    private static readonly Vector512<int> s_quadsHigh = Vector512.Create(8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    private static readonly Vector512<float> s_laneIndex = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    // For tile column j: lanes 0..3 take columns j, j + 4, j + 8, j + 12 of the first source, lanes 4..7 those of the second (index
    // + 16); the "high" forms put the same in lanes 8..15 (the other lanes are not used).
    private static readonly Vector512<int> s_tileLow0 = TileIndex(0, upper: false);
    private static readonly Vector512<int> s_tileLow1 = TileIndex(1, upper: false);
    private static readonly Vector512<int> s_tileLow2 = TileIndex(2, upper: false);
    private static readonly Vector512<int> s_tileLow3 = TileIndex(3, upper: false);
    private static readonly Vector512<int> s_tileHigh0 = TileIndex(0, upper: true);
    private static readonly Vector512<int> s_tileHigh1 = TileIndex(1, upper: true);
    private static readonly Vector512<int> s_tileHigh2 = TileIndex(2, upper: true);
    private static readonly Vector512<int> s_tileHigh3 = TileIndex(3, upper: true);

    // For element column j of 2 × 2-tile planes: every group of four lanes takes columns j and j + 4 of the first source (top tile
    // row), then of the second (bottom tile row).
    private static readonly Vector512<int>[] s_quadIndex = [.. Enumerable.Range(0, 6).Select(j => Vector512.Create(
        Enumerable.Range(0, Lanes).Select(lane => ((lane & 2) != 0 ? 16 : 0) + (4 * (lane & 1)) + j).ToArray()))];

    private static Vector512<int> TileIndex(int column, bool upper)
    {
        var lanes = new int[Lanes];
        var first = upper ? 8 : 0;
        for (var tx = 0; tx < 4; tx++)
        {
            lanes[first + tx] = (4 * tx) + column;
            lanes[first + 4 + tx] = 16 + (4 * tx) + column;
        }

        return Vector512.Create(lanes);
    }

    /// <summary>Gets whether the kernels can run on this machine (AVX-512).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Gets whether F(4×4, 3×3) applies: the conditions of <see cref="WinogradConvolution.CanUse"/>.</summary>
    public static bool CanUse(in Conv2dGeometry g) => IsSupported && WinogradConvolution.CanUse(g);

    /// <summary>
    /// Gets whether F(4×4, 3×3) is chosen automatically: from 32 input and 32 output channels on. Its transforms cost more per
    /// output than those of F(2×2, 3×3) while the matrix products shrink by 16/9, so it pays only once enough channels amortise
    /// the transforms. Measured on one thread (thread CPU time, best of 5 interleaved rounds, GFLOP/s, F(2×2) → F(4×4), 32 images):
    /// 64→64 8×8 forward 97 → 125, input gradient 91 → 118; 64→128 14×14 forward 106 → 133, input gradient 94 → 113; 32→64 28×28
    /// forward 128 → 144, input gradient 118 → 115; 32→32 16×16 forward 129 → 143, input gradient 116 → 127; 16→16 32×32 stayed
    /// faster with F(2×2, 3×3).
    /// </summary>
    public static bool Pays(in Conv2dGeometry g) => CanUse(g) && g.InChannels >= 32 && g.OutChannels >= 32;

    /// <summary>
    /// Gets whether the F(4×4, 3×3) weight gradient is chosen automatically: from 32 input and 32 output channels on. Measured as
    /// for <see cref="Pays"/> (GFLOP/s, F(2×2) → F(4×4), two runs): 64→64 8×8 53 → 83 and 54 → 89; 64→128 14×14 75 → 89 and
    /// 53 → 71; 16→16 32×32 83 → 30 (its 36 small matrix products per image group do not amortise the transforms and the packing).
    /// Once the transposing packs of <see cref="Sgemm"/> went through registers, 32→64 28×28 (batch 128, 2 threads, best of 35
    /// calls, three alternating processes) took 18.8–19.8 ms with F(4×4) against 22.2–23.2 ms with F(2×2). Timed later with both
    /// algorithms alternating call by call in one process (64 images, 2 threads, 90 calls each, minimum and median in ms,
    /// F(2×2) → F(4×4)), 32 output channels pay too: 32→32 16×16 2.24/3.32 → 1.55/1.95 and 2.07/3.37 → 1.30/2.15; 32→32 8×8
    /// 0.90/1.76 → 0.43/0.77; 32→32 32×32 6.31/8.55 → 5.65/6.81; 32→48 16×16 3.25/5.22 → 2.01/3.01; while 16→16 32×32 (1.91/3.37
    /// → 3.17/5.33 and 1.55/3.02 → 3.40/5.96) and 16→32 16×16 (1.06/1.94 → 1.39/2.25) stay with F(2×2).
    /// </summary>
    public static bool PaysForWeightGradient(in Conv2dGeometry g) => CanUse(g) && g.InChannels >= 32 && g.OutChannels >= 32;

    /// <summary>Computes the forward convolution y = conv(x, w) + bias.</summary>
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
    /// U[ξν] = G g Gᵀ for every (output, input) channel pair of the convolution to run, packed as [ξν][output block][input
    /// channel][16 outputs]. With <paramref name="flip"/>, the filter of pair (o, i) is w[i, o] rotated by 180° (input gradient).
    /// </summary>
    private static float[] TransformFilters(int outChannels, int inChannels, float[] w, int wOffset, bool flip)
    {
        var blocks = (outChannels + Block - 1) / Block;
        var length = Points * blocks * inChannels * Block;
        var packed = Storage.BufferPool.Rent(length, out _);

        // One (output block, input channel) pair per iteration: the 16 output channels of the block are the vector lanes, so each
        // of the 36 points is one 64-byte store. Every element of the packed layout is written (lanes past the last output channel
        // get zero filters), and the arithmetic is the scalar formula's, in double, in the same order.
        CpuParallel.ForRange((long)blocks * inChannels, 16, (p0, p1) =>
        {
            var gg = stackalloc float[9 * Block];
            fixed (float* ws = w, dst = packed)
            {
                for (var pair = p0; pair < p1; pair++)
                {
                    var b = (int)(pair / inChannels);
                    var ci = (int)(pair % inChannels);
                    WinogradConvolution.StageFilters(ws + wOffset, b, ci, outChannels, inChannels, flip, gg);

                    var at = dst + ((((long)b * inChannels) + ci) * Block);
                    var step = (long)blocks * inChannels * Block; // one point further
                    TransformFilterLanes(gg, at, step);
                    TransformFilterLanes(gg + 8, at + 8, step);
                }
            }
        });
        return packed;
    }

    /// <summary>U = G g Gᵀ for eight filters at once (lanes of <paramref name="gg"/>, rows of 16 floats), stored at the 36 points.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformFilterLanes(float* gg, float* at, long step)
    {
        var four = Vector512.Create(4.0);
        var six = Vector512.Create(6.0);
        var twelve = Vector512.Create(12.0);
        var twentyFour = Vector512.Create(24.0);
        var tmp = stackalloc Vector512<double>[18];

        // tmp = G g (6×3)
        for (var c = 0; c < 3; c++)
        {
            var g0 = Widen(gg + (c * Block));
            var g1 = Widen(gg + ((3 + c) * Block));
            var g2 = Widen(gg + ((6 + c) * Block));
            tmp[c] = g0 / four;
            tmp[3 + c] = -(g0 + g1 + g2) / six;
            tmp[6 + c] = -(g0 - g1 + g2) / six;
            tmp[9 + c] = (g0 / twentyFour) + (g1 / twelve) + (g2 / six);
            tmp[12 + c] = (g0 / twentyFour) - (g1 / twelve) + (g2 / six);
            tmp[15 + c] = g2;
        }

        // U = tmp Gᵀ (6×6); row r, column ν lands at point 6r + ν
        for (var r = 0; r < 6; r++)
        {
            Vector512<double> t0 = tmp[r * 3], t1 = tmp[(r * 3) + 1], t2 = tmp[(r * 3) + 2];
            var row = at + (6 * r * step);
            Avx.Store(row, Avx512F.ConvertToVector256Single(t0 / four));
            Avx.Store(row + step, Avx512F.ConvertToVector256Single(-(t0 + t1 + t2) / six));
            Avx.Store(row + (2 * step), Avx512F.ConvertToVector256Single(-(t0 - t1 + t2) / six));
            Avx.Store(row + (3 * step), Avx512F.ConvertToVector256Single((t0 / twentyFour) + (t1 / twelve) + (t2 / six)));
            Avx.Store(row + (4 * step), Avx512F.ConvertToVector256Single((t0 / twentyFour) - (t1 / twelve) + (t2 / six)));
            Avx.Store(row + (5 * step), Avx512F.ConvertToVector256Single(t2));
        }
    }

    /// <summary>Tile counts, padded-plane shape and the group of images that share one tile axis.</summary>
    private readonly record struct Layout(int TilesY, int TilesX, int T, int Stride, int Rows, int Group, bool Gather)
    {
        public static Layout For(in Conv2dGeometry g)
        {
            var tilesY = (g.OutHeight + 3) / 4;
            var tilesX = (g.OutWidth + 3) / 4;
            var t = tilesY * tilesX;

            // Tile rows read padded columns 0 .. 4·tilesX + 1 and rows 0 .. 4·tilesY + 1; both cover the zero-padded input.
            var stride = Math.Max(g.InWidth + (2 * g.PadW), (4 * tilesX) + 2);
            var rows = (4 * tilesY) + 2;

            // About 64 tiles per group (32 with many channels, to keep V in L2), but never fewer groups than threads.
            var target = g.InChannels >= 64 ? 32 : 64;
            var group = Math.Max(1, target / t);
            var perThread = (g.Batch + CpuParallel.ThreadCount - 1) / CpuParallel.ThreadCount;
            group = Math.Clamp(Math.Min(group, perThread), 1, Math.Max(1, g.Batch));
            // Rows of at most 4 tiles (output planes up to 16 wide) fill too few lanes for the row-wise permute gather: one padded
            // plane per image, read by permutes across tile rows (4 × 4 and 2 × 2 tiles) or by hardware gathers (other shapes).
            return new Layout(tilesY, tilesX, t, stride, rows, group, tilesX <= 4);
        }

        /// <summary>Gets the tile-axis length of a full group rounded up to whole vectors.</summary>
        public int Valid => ((Group * T) + Lanes - 1) / Lanes * Lanes;

        /// <summary>Gets the row stride of the tile axis: one spare vector past <see cref="Valid"/> for the 8-lane output reads.</summary>
        public int TPad => Valid + Lanes;
    }

    /// <summary>Floats of the padded-plane region: one plane per image of a group (gather path) or one, plus a zero area that tail lanes read.</summary>
    private static int PaddedSize(in Layout l) => ((l.Gather ? l.Group : 1) * l.Rows * l.Stride) + (6 * l.Stride) + (4 * Lanes);

    private static void Run(in Conv2dGeometry g, float[] x, int xOffset, float[] u, float[]? bias, int biasOffset, float[] y, int yOffset, float[]? gate = null, int gateOffset = 0)
    {
        var geo = g;
        var l = Layout.For(g);
        var blocks = (g.OutChannels + Block - 1) / Block;
        var paddedSize = PaddedSize(l);
        var rSize = Points * l.TPad;
        var vSize = Points * g.InChannels * l.TPad;
        var mSize = Points * Block * l.TPad;
        var oSize = 16 * l.TPad;
        var tmpSize = Points * Lanes;
        var total = paddedSize + rSize + vSize + mSize + oSize + tmpSize + l.TPad;
        var groups = (g.Batch + l.Group - 1) / l.Group;
        CpuParallel.ForRange(groups, 1, WinogradConvolution.BalancedChunksPerThread, (g0, g1) =>
        {
            var n0 = g0 * l.Group;
            var n1 = Math.Min(g1 * l.Group, geo.Batch);
            var work = CacheAlignment.Buffer(ref t_work, total);
            fixed (float* workStart = work, up = u, xs = x, ys = y, gs = gate)
            {
                var wp = CacheAlignment.Align(workStart);
                var padded = wp;
                var r = padded + paddedSize;
                var v = r + rSize;
                var m = v + vSize;
                var o = m + mSize;
                var tmp = o + oSize;
                var bases = (int*)(tmp + tmpSize);
                new Span<float>(padded, paddedSize).Clear();
                var tap = stackalloc int[1];
                var zeroBias = stackalloc float[Block];
                new Span<float>(zeroBias, Block).Clear();
                for (var first = (int)n0; first < n1; first += l.Group)
                {
                    var count = Math.Min(l.Group, (int)(n1 - first));
                    var valid = ((count * l.T) + Lanes - 1) / Lanes * Lanes;
                    TransformInputGroup(geo, l, xs + xOffset + ((long)first * geo.InChannels * geo.InPlane), count, valid, padded, r, bases, v, tmp);
                    for (var b = 0; b < blocks; b++)
                    {
                        for (var xi = 0; xi < Points; xi++)
                        {
                            var ub = up + ((((long)xi * blocks) + b) * geo.InChannels * Block);
                            var vx = v + ((long)xi * geo.InChannels * l.TPad);
                            var mx = m + ((long)xi * Block * l.TPad);
                            for (var t0 = 0; t0 < valid; t0 += Lanes)
                            {
                                DirectConvolution.Tile16(vx + t0, l.TPad, geo.InChannels, tap, 1, ub, zeroBias, mx + t0, l.TPad);
                            }
                        }

                        var channels = Math.Min(Block, geo.OutChannels - (b * Block));
                        for (var j = 0; j < channels; j++)
                        {
                            var co = (b * Block) + j;
                            var bv = Vector512.Create(bias is null ? 0f : bias[biasOffset + co]);
                            TransformOutput(m + ((long)j * l.TPad), (long)Block * l.TPad, valid, bv, o, l.TPad, tmp);
                            var planeStride = (long)geo.OutChannels * geo.OutPlane;
                            var firstPlane = (((long)first * geo.OutChannels) + co) * geo.OutPlane;
                            ScatterImages(geo, l, o, count, ys + yOffset + firstPlane, gs is null ? null : gs + gateOffset + firstPlane, planeStride);
                        }
                    }
                }
            }
        });
    }

    /// <summary>
    /// V[ξν][c][t] for every input channel c and the tiles of <paramref name="count"/> images starting at <paramref name="x"/>; lanes
    /// [count·T, <paramref name="valid"/>) come out zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputGroup(in Conv2dGeometry g, in Layout l, float* x, int count, int valid, float* padded, float* r, int* bases, float* v, float* tmp)
    {
        var planeSize = l.Rows * l.Stride;
        var vPlane = (long)g.InChannels * l.TPad;

        // Planes of 4 × 4 or 2 × 2 tiles are read by permutes; other narrow planes by hardware gathers at these offsets.
        var permuted = l.Gather && l.TilesX == l.TilesY && l.TilesX is 2 or 4;
        if (l.Gather && !permuted)
        {
            // Offset of every tile's top-left element in the group's padded planes; lanes past the last tile read the zero area.
            var zero = l.Group * planeSize;
            for (var t = 0; t < valid; t++)
            {
                var tt = t % l.T;
                bases[t] = t < count * l.T ? ((t / l.T) * planeSize) + (4 * (tt / l.TilesX) * l.Stride) + (4 * (tt % l.TilesX)) : zero;
            }
        }

        for (var c = 0; c < g.InChannels; c++)
        {
            if (l.Gather)
            {
                for (var i = 0; i < count; i++)
                {
                    CopyPlane(g, x + ((((long)i * g.InChannels) + c) * g.InPlane), padded + ((long)i * planeSize), l.Stride);
                }

                if (permuted && l.TilesX == 4)
                {
                    // 16 tiles per image, one image per vector: two-source permutes of whole rows instead of gathers.
                    for (var i = 0; i < count; i++)
                    {
                        TransformInputPermuted(padded + ((long)i * planeSize), l.Stride, v + ((long)c * l.TPad) + (i * Lanes), vPlane, tmp);
                    }

                    continue;
                }

                if (permuted)
                {
                    // 4 tiles per image, four images per vector: permutes of each image's two tile rows instead of gathers.
                    for (var t0 = 0; t0 < valid; t0 += Lanes)
                    {
                        var image = t0 / 4;
                        TransformInputPermuted2x2(padded + ((long)image * planeSize), planeSize, l.Stride, Math.Min(4, count - image), padded + (l.Group * planeSize), v + ((long)c * l.TPad) + t0, vPlane, tmp);
                    }

                    continue;
                }

                TransformInputGathered(padded, bases, l.Stride, valid, v + ((long)c * l.TPad), vPlane, tmp);
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                CopyPlane(g, x + ((((long)i * g.InChannels) + c) * g.InPlane), padded, l.Stride);
                GatherTiles(l, padded, r + (i * l.T), l.TPad);
            }

            if (count * l.T < valid)
            {
                // Lanes past the last tile must be zero (the weight gradient sums over them).
                for (var p = 0; p < Points; p++)
                {
                    new Span<float>(r + ((long)p * l.TPad) + (count * l.T), valid - (count * l.T)).Clear();
                }
            }

            TransformInput(r, l.TPad, valid, v + ((long)c * l.TPad), vPlane, tmp);
        }
    }

    /// <summary>
    /// Computes dW (overwriting it) and, when given, db = Σ dY: dU[ξν] = Σ_t dM[ξν][·][t]·V[ξν][·][t]ᵀ with dM = A dY_t Aᵀ (36 matrix
    /// products over the tile axis, by the engine's SGEMM, accumulated over image groups), then dW = Gᵀ dU G. Images are split
    /// across threads and the per-thread partial sums are added in thread order.
    /// </summary>
    public static void BackwardWeight(in Conv2dGeometry g, float[] dy, int dyOffset, float[] x, int xOffset, float[] dw, int dwOffset, float[]? db, int dbOffset)
    {
        var geo = g;
        var l = Layout.For(g);
        var chunks = CpuParallel.InParallelRegion ? 1 : Math.Min(CpuParallel.ThreadCount, g.Batch);
        var pairs = g.OutChannels * g.InChannels;
        var partials = new float[chunks][];
        var offsets = new int[chunks];
        var biasPartials = new double[chunks][];
        var paddedSize = PaddedSize(l);
        var gradStride = 4 * l.TilesX;
        var gradPlane = 4 * l.TilesY * gradStride;
        var gradSize = (l.Group * gradPlane) + (4 * gradStride) + (4 * Lanes);
        var rSize = Points * l.TPad;
        var vSize = Points * g.InChannels * l.TPad;
        var mSize = Points * g.OutChannels * l.TPad;
        var tmpSize = Points * Lanes;
        var total = paddedSize + gradSize + rSize + vSize + mSize + tmpSize + (2 * l.TPad);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Chunk(int chunk)
        {
            var (n0, n1) = CpuParallel.ChunkBounds(geo.Batch, chunks, chunk);
            // dU accumulates in place across the groups' products: aligned, its 512-bit row updates stay within cache lines. The
            // pooled array is not pinned; were the GC to move it, only the alignment would be lost, never the indexing.
            var du = Storage.BufferPool.RentCleared((Points * pairs) + CacheAlignment.Slack);
            var duOffset = CacheAlignment.Offset(du);
            var biasPartial = db is null ? null : new double[geo.OutChannels];
            var work = CacheAlignment.Buffer(ref t_work, total);
            var aligned = CacheAlignment.Offset(work);
            var vOffset = aligned + paddedSize + gradSize + rSize;
            var mOffset = vOffset + vSize;
            fixed (float* workStart = work, xs = x, dys = dy)
            {
                var wp = workStart + aligned;
                var padded = wp;
                var grad = padded + paddedSize;
                var r = grad + gradSize;
                var v = workStart + vOffset;
                var m = workStart + mOffset;
                var tmp = m + mSize;
                var bases = (int*)(tmp + tmpSize);
                var gradBases = bases + l.TPad;
                new Span<float>(padded, paddedSize + gradSize).Clear();
                for (var first = (int)n0; first < n1; first += l.Group)
                {
                    var count = Math.Min(l.Group, (int)(n1 - first));
                    var valid = ((count * l.T) + Lanes - 1) / Lanes * Lanes;
                    TransformInputGroup(geo, l, xs + xOffset + ((long)first * geo.InChannels * geo.InPlane), count, valid, padded, r, bases, v, tmp);
                    for (var t = 0; t < valid; t++)
                    {
                        var tt = t % l.T;
                        gradBases[t] = t < count * l.T ? ((t / l.T) * gradPlane) + (4 * (tt / l.TilesX) * gradStride) + (4 * (tt % l.TilesX)) : l.Group * gradPlane;
                    }

                    for (var co = 0; co < geo.OutChannels; co++)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            var src = dys + dyOffset + ((((long)(first + i) * geo.OutChannels) + co) * geo.OutPlane);
                            if (biasPartial is not null)
                            {
                                biasPartial[co] += CpuBackend.SumPreciseDouble(new ReadOnlySpan<float>(src, geo.OutPlane));
                            }

                            CopyRows(src, geo.OutWidth, geo.OutHeight, grad + ((long)i * gradPlane), gradStride);
                        }

                        TransformGradient(grad, gradBases, gradStride, valid, m + ((long)co * l.TPad), (long)geo.OutChannels * l.TPad, tmp);
                    }

                    for (var xi = 0; xi < Points; xi++)
                    {
                        // dU[ξν] (out × in) += dM[ξν] (out × tiles) · V[ξν]ᵀ (tiles × in)
                        Sgemm.Compute(false, true, geo.OutChannels, geo.InChannels, valid, 1f,
                            work, mOffset + (xi * geo.OutChannels * l.TPad), l.TPad,
                            work, vOffset + (xi * geo.InChannels * l.TPad), l.TPad,
                            1f, du, duOffset + (xi * pairs), geo.InChannels);
                    }
                }
            }

            partials[chunk] = du;
            offsets[chunk] = duOffset;
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

        var sum = partials[0].AsSpan(offsets[0], Points * pairs);
        for (var c = 1; c < chunks; c++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(sum, partials[c].AsSpan(offsets[c], Points * pairs), sum);
            Storage.BufferPool.Return(partials[c]);
        }

        // dW = Gᵀ dU G for every (output, input) channel pair, in double: eight pairs per 512-bit vector, the rest one by one (the
        // same operations in the same order, so both paths round alike).
        var vectorPairs = pairs / 8 * 8;
        var sumOffset = offsets[0];
        var sumArray = partials[0];
        CpuParallel.ForRange(vectorPairs / 8, 16, (b0, b1) =>
        {
            fixed (float* sums = &sumArray[sumOffset], dws = &dw[dwOffset])
            {
                FilterGradientBlocks(sums, pairs, (int)b0 * 8, (int)b1 * 8, dws);
            }
        });

        Span<double> tmpG = stackalloc double[18];
        for (var pair = vectorPairs; pair < pairs; pair++)
        {
            // tmpG = Gᵀ dU (3×6)
            for (var nu = 0; nu < 6; nu++)
            {
                double u0 = sum[(nu * pairs) + pair], u1 = sum[((6 + nu) * pairs) + pair], u2 = sum[((12 + nu) * pairs) + pair];
                double u3 = sum[((18 + nu) * pairs) + pair], u4 = sum[((24 + nu) * pairs) + pair], u5 = sum[((30 + nu) * pairs) + pair];
                GTranspose(u0, u1, u2, u3, u4, u5, out tmpG[nu], out tmpG[6 + nu], out tmpG[12 + nu]);
            }

            var dst = dwOffset + (pair * 9);
            for (var k = 0; k < 3; k++)
            {
                GTranspose(tmpG[6 * k], tmpG[(6 * k) + 1], tmpG[(6 * k) + 2], tmpG[(6 * k) + 3], tmpG[(6 * k) + 4], tmpG[(6 * k) + 5], out var w0, out var w1, out var w2);
                dw[dst + (3 * k)] = (float)w0;
                dw[dst + (3 * k) + 1] = (float)w1;
                dw[dst + (3 * k) + 2] = (float)w2;
            }
        }

        Storage.BufferPool.Return(partials[0]);
        if (db is not null)
        {
            for (var co = 0; co < g.OutChannels; co++)
            {
                double total2 = 0;
                for (var c = 0; c < chunks; c++)
                {
                    total2 += biasPartials[c][co];
                }

                db[dbOffset + co] = (float)total2;
            }
        }
    }

    /// <summary>
    /// dW = Gᵀ dU G for the channel pairs [<paramref name="first"/>, <paramref name="end"/>), a multiple of eight, with dU[ξν][pair] at
    /// <paramref name="sums"/>[ξν·<paramref name="pairs"/> + pair] and dW[pair] at <paramref name="dw"/>[9·pair].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterGradientBlocks(float* sums, int pairs, int first, int end, float* dw)
    {
        var tmp = stackalloc Vector512<double>[18];
        var rows = stackalloc double[24];
        for (var pair = first; pair < end; pair += 8)
        {
            // tmp[k][ν] = (Gᵀ dU)[k][ν] for eight pairs at once
            for (var nu = 0; nu < 6; nu++)
            {
                var src = sums + pair + ((long)nu * pairs);
                GTranspose(
                    Widen(src), Widen(src + (6L * pairs)), Widen(src + (12L * pairs)), Widen(src + (18L * pairs)), Widen(src + (24L * pairs)), Widen(src + (30L * pairs)),
                    out tmp[nu], out tmp[6 + nu], out tmp[12 + nu]);
            }

            for (var k = 0; k < 3; k++)
            {
                var t = tmp + (6 * k);
                GTranspose(t[0], t[1], t[2], t[3], t[4], t[5], out var w0, out var w1, out var w2);
                w0.Store(rows);
                w1.Store(rows + 8);
                w2.Store(rows + 16);
                for (var lane = 0; lane < 8; lane++)
                {
                    var dst = dw + ((long)(pair + lane) * 9) + (3 * k);
                    dst[0] = (float)rows[lane];
                    dst[1] = (float)rows[8 + lane];
                    dst[2] = (float)rows[16 + lane];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Widen(float* src) => Avx512F.ConvertToVector512Double(Avx.LoadVector256(src));

    /// <summary>(w0, w1, w2) = Gᵀ u for eight 6-vectors at once, with the operations of the scalar overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GTranspose(
        Vector512<double> u0, Vector512<double> u1, Vector512<double> u2, Vector512<double> u3, Vector512<double> u4, Vector512<double> u5,
        out Vector512<double> w0, out Vector512<double> w1, out Vector512<double> w2)
    {
        var four = Vector512.Create(4.0);
        var six = Vector512.Create(6.0);
        var twelve = Vector512.Create(12.0);
        var twentyFour = Vector512.Create(24.0);
        w0 = (u0 / four) - ((u1 + u2) / six) + ((u3 + u4) / twentyFour);
        w1 = ((u2 - u1) / six) + ((u3 - u4) / twelve);
        w2 = (-(u1 + u2) / six) + ((u3 + u4) / six) + u5;
    }

    /// <summary>(w0, w1, w2) = Gᵀ u for one 6-vector (G the 6×3 filter transform).</summary>
    private static void GTranspose(double u0, double u1, double u2, double u3, double u4, double u5, out double w0, out double w1, out double w2)
    {
        w0 = (u0 / 4) - ((u1 + u2) / 6) + ((u3 + u4) / 24);
        w1 = ((u2 - u1) / 6) + ((u3 - u4) / 12);
        w2 = (-(u1 + u2) / 6) + ((u3 + u4) / 6) + u5;
    }

    /// <summary>Copies a <paramref name="height"/> × <paramref name="width"/> plane into rows of <paramref name="stride"/> (the rest stays zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRows(float* src, int width, int height, float* dst, int stride)
    {
        for (var iy = 0; iy < height; iy++)
        {
            new ReadOnlySpan<float>(src + ((long)iy * width), width).CopyTo(new Span<float>(dst + ((long)iy * stride), width));
        }
    }

    /// <summary>w = A z for one 4-vector (A = (Aᵀ)ᵀ, 6×4).</summary>
    /// <summary>Stores six vectors at consecutive vector slots of a row of the transform scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* dst, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, Vector512<float> v4, Vector512<float> v5)
    {
        v0.Store(dst);
        v1.Store(dst + Lanes);
        v2.Store(dst + (2 * Lanes));
        v3.Store(dst + (3 * Lanes));
        v4.Store(dst + (4 * Lanes));
        v5.Store(dst + (5 * Lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientRows(
        Vector512<float> z0, Vector512<float> z1, Vector512<float> z2, Vector512<float> z3,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3, out Vector512<float> w4, out Vector512<float> w5)
    {
        var even = z0 + z2;
        var odd = z1 + z3;
        var even4 = Vector512.FusedMultiplyAdd(Vector512.Create(4f), z2, z0);
        var odd8 = Vector512.FusedMultiplyAdd(Vector512.Create(8f), z3, z1 * 2f);
        w0 = z0;
        w1 = even + odd;
        w2 = even - odd;
        w3 = even4 + odd8;
        w4 = even4 - odd8;
        w5 = z3;
    }

    /// <summary>dM[6a + b][·][t] = (A dY_t Aᵀ)[a][b] for the tiles [0, <paramref name="valid"/>) of one output channel, gathered from zero-bordered planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformGradient(float* grad, int* bases, int stride, int valid, float* m, long mPlane, float* tmp)
    {
        for (var t0 = 0; t0 < valid; t0 += Lanes)
        {
            var low = Vector256.Load(bases + t0);
            var high = Vector256.Load(bases + t0 + 8);

            // Row pass: tmp[6r + b] = (dY Aᵀ)[r][b]
            for (var row = 0; row < 4; row++)
            {
                var at = grad + ((long)row * stride);
                GradientRows(Gather(at, low, high), Gather(at + 1, low, high), Gather(at + 2, low, high), Gather(at + 3, low, high),
                    out var w0, out var w1, out var w2, out var w3, out var w4, out var w5);
                var dst = tmp + (6 * row * Lanes);
                StoreRow(dst, w0, w1, w2, w3, w4, w5);
            }

            // Column pass: dM[6a + b] = Σ_r A[a][r] tmp[6r + b]
            for (var col = 0; col < 6; col++)
            {
                var src = tmp + (col * Lanes);
                GradientRows(Vector512.Load(src), Vector512.Load(src + (6 * Lanes)), Vector512.Load(src + (12 * Lanes)), Vector512.Load(src + (18 * Lanes)),
                    out var w0, out var w1, out var w2, out var w3, out var w4, out var w5);
                var dst = m + ((long)col * mPlane) + t0;
                w0.Store(dst);
                w1.Store(dst + (6 * mPlane));
                w2.Store(dst + (12 * mPlane));
                w3.Store(dst + (18 * mPlane));
                w4.Store(dst + (24 * mPlane));
                w5.Store(dst + (30 * mPlane));
            }
        }
    }

    /// <summary>Copies one input plane into the interior of the zero-padded plane (whose border stays zero).</summary>
    private static void CopyPlane(in Conv2dGeometry g, float* src, float* padded, int stride)
    {
        if (g.ReluInput)
        {
            CopyPlane<RectifyLanes>(g, src, padded, stride);
        }
        else
        {
            CopyPlane<KeepLanes>(g, src, padded, stride);
        }
    }

    /// <summary>Copies one input plane into the interior of its zero-padded copy, through <typeparamref name="TMap"/> (max(·, 0) for a fused input ReLU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyPlane<TMap>(in Conv2dGeometry g, float* src, float* padded, int stride)
        where TMap : struct, ILaneMap
    {
        var width = g.InWidth;
        var line = padded + ((long)g.PadH * stride) + g.PadW;
        for (var iy = 0; iy < g.InHeight; iy++)
        {
            var s = src + ((long)iy * width);
            var d = line + ((long)iy * stride);
            var i = 0;
            for (; i + Lanes <= width; i += Lanes)
            {
                TMap.Apply(Vector512.Load(s + i)).Store(d + i);
            }

            if (i < width)
            {
                var mask = Vector512.LessThan(s_laneIndex, Vector512.Create((float)(width - i)));
                Avx512F.MaskStore(d + i, mask, TMap.Apply(Avx512F.MaskLoad(s + i, mask, Vector512<float>.Zero)));
            }
        }
    }

    /// <summary>What <see cref="CopyPlane{TMap}"/> does to each vector it copies.</summary>
    private interface ILaneMap
    {
        static abstract Vector512<float> Apply(Vector512<float> v);
    }

    private readonly struct KeepLanes : ILaneMap
    {
        public static Vector512<float> Apply(Vector512<float> v) => v;
    }

    /// <summary>max(v, 0) lane-wise, NaN kept (as the ReLU operator).</summary>
    private readonly struct RectifyLanes : ILaneMap
    {
        public static Vector512<float> Apply(Vector512<float> v) => Vector512.Max(v, Vector512<float>.Zero);
    }

    /// <summary>R[6i + j][t] = d_t[i][j]: the 36 elements of every 6×6 input tile of one padded plane, each along the tile axis.</summary>
    private static void GatherTiles(in Layout l, float* padded, float* r, int tPad)
    {
        for (var ty = 0; ty < l.TilesY; ty++)
        {
            for (var i = 0; i < 6; i++)
            {
                var row = padded + ((long)((4 * ty) + i) * l.Stride);
                var dst = r + ((long)6 * i * tPad) + (ty * l.TilesX);
                for (var tx0 = 0; tx0 < l.TilesX; tx0 += 8)
                {
                    var at = row + (4 * tx0);
                    var a0 = Vector512.Load(at);
                    var a1 = Vector512.Load(at + Lanes);
                    var b0 = Vector512.Load(at + 4);
                    var b1 = Vector512.Load(at + 4 + Lanes);
                    var c0 = Avx512F.PermuteVar16x32x2(a0, s_stride4, a1);
                    var c1 = Avx512F.PermuteVar16x32x2(a0, s_stride4Plus1, a1);
                    var c2 = Avx512F.PermuteVar16x32x2(a0, s_stride4Plus2, a1);
                    var c3 = Avx512F.PermuteVar16x32x2(a0, s_stride4Plus3, a1);
                    var c4 = Avx512F.PermuteVar16x32x2(b0, s_stride4, b1);
                    var c5 = Avx512F.PermuteVar16x32x2(b0, s_stride4Plus1, b1);
                    var n = Math.Min(8, l.TilesX - tx0);
                    var d = dst + tx0;
                    Store8(d, c0, n);
                    Store8(d + tPad, c1, n);
                    Store8(d + (2L * tPad), c2, n);
                    Store8(d + (3L * tPad), c3, n);
                    Store8(d + (4L * tPad), c4, n);
                    Store8(d + (5L * tPad), c5, n);
                }
            }
        }
    }

    /// <summary>Stores the first <paramref name="n"/> (≤ 8) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(float* dst, Vector512<float> value, int n)
    {
        if (n == 8)
        {
            value.GetLower().Store(dst);
        }
        else
        {
            Avx512F.MaskStore(dst, Vector512.LessThan(s_laneIndex, Vector512.Create((float)n)), value);
        }
    }

    /// <summary>o = Bᵀ z for one 6-vector of tile elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRows(
        Vector512<float> z0, Vector512<float> z1, Vector512<float> z2, Vector512<float> z3, Vector512<float> z4, Vector512<float> z5,
        out Vector512<float> o0, out Vector512<float> o1, out Vector512<float> o2, out Vector512<float> o3, out Vector512<float> o4, out Vector512<float> o5)
    {
        var four = Vector512.Create(4f);
        var minusFour = Vector512.Create(-4f);
        var minusFive = Vector512.Create(-5f);
        var a = Vector512.FusedMultiplyAdd(minusFour, z2, z4); // z4 − 4 z2
        var b = Vector512.FusedMultiplyAdd(minusFour, z1, z3); // z3 − 4 z1
        var c = z4 - z2;
        var d = (z3 - z1) * 2f;
        o0 = Vector512.FusedMultiplyAdd(minusFive, z2, Vector512.FusedMultiplyAdd(four, z0, z4));
        o1 = a + b;
        o2 = a - b;
        o3 = c + d;
        o4 = c - d;
        o5 = Vector512.FusedMultiplyAdd(minusFive, z3, Vector512.FusedMultiplyAdd(four, z1, z5));
    }

    /// <summary>V[6k + l][·][t] = (Bᵀ d_t B)[k][l] for the tiles [0, <paramref name="valid"/>) of one channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInput(float* r, int tPad, int valid, float* v, long vPlane, float* tmp)
    {
        for (var t0 = 0; t0 < valid; t0 += Lanes)
        {
            // Row pass: tmp[6i + l] = (d B)[i][l]
            for (var i = 0; i < 6; i++)
            {
                var src = r + ((long)6 * i * tPad) + t0;
                InputRows(
                    Vector512.Load(src), Vector512.Load(src + tPad), Vector512.Load(src + (2L * tPad)),
                    Vector512.Load(src + (3L * tPad)), Vector512.Load(src + (4L * tPad)), Vector512.Load(src + (5L * tPad)),
                    out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                var dst = tmp + (6 * i * Lanes);
                StoreRow(dst, o0, o1, o2, o3, o4, o5);
            }

            // Column pass: V[6k + l] = Σ_i Bᵀ[k][i] tmp[6i + l]
            for (var col = 0; col < 6; col++)
            {
                var src = tmp + (col * Lanes);
                InputRows(
                    Vector512.Load(src), Vector512.Load(src + (6 * Lanes)), Vector512.Load(src + (12 * Lanes)),
                    Vector512.Load(src + (18 * Lanes)), Vector512.Load(src + (24 * Lanes)), Vector512.Load(src + (30 * Lanes)),
                    out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                var dst = v + ((long)col * vPlane) + t0;
                o0.Store(dst);
                o1.Store(dst + (6 * vPlane));
                o2.Store(dst + (12 * vPlane));
                o3.Store(dst + (18 * vPlane));
                o4.Store(dst + (24 * vPlane));
                o5.Store(dst + (30 * vPlane));
            }
        }
    }

    /// <summary>
    /// V[6k + l][·][t] = (Bᵀ d_t B)[k][l] for the tiles [0, <paramref name="valid"/>), reading each tile's elements straight from the
    /// padded planes with hardware gathers (for planes too narrow to fill vectors along a tile row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputGathered(float* padded, int* bases, int stride, int valid, float* v, long vPlane, float* tmp)
    {
        for (var t0 = 0; t0 < valid; t0 += Lanes)
        {
            var low = Vector256.Load(bases + t0);
            var high = Vector256.Load(bases + t0 + 8);
            for (var i = 0; i < 6; i++)
            {
                var row = padded + ((long)i * stride);
                InputRows(
                    Gather(row, low, high), Gather(row + 1, low, high), Gather(row + 2, low, high),
                    Gather(row + 3, low, high), Gather(row + 4, low, high), Gather(row + 5, low, high),
                    out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                var dst = tmp + (6 * i * Lanes);
                StoreRow(dst, o0, o1, o2, o3, o4, o5);
            }

            ColumnPass(tmp, v + t0, vPlane);
        }
    }

    /// <summary>
    /// V[ξν][·][16 lanes] = (Bᵀ d_t B)[ξ][ν] for the 16 tiles of one padded plane with 4 × 4 tiles (lane 4·ty + tx). Element (i, j) of
    /// every tile comes from rows 4·ty + i, columns 4·tx + j: two two-source permutes take four tiles from each of two rows (columns
    /// j − 4 and up read from 4 columns further), and a blend joins the two halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputPermuted(float* padded, int stride, float* v, long vPlane, float* tmp)
    {
        var high = Vector512.GreaterThanOrEqual(s_laneIndex, Vector512.Create(8f)).AsUInt32();
        for (var i = 0; i < 6; i++)
        {
            var r0 = padded + ((long)i * stride);
            var r1 = r0 + (4L * stride);
            var r2 = r0 + (8L * stride);
            var r3 = r0 + (12L * stride);
            var a0 = Vector512.Load(r0);
            var a1 = Vector512.Load(r1);
            var a2 = Vector512.Load(r2);
            var a3 = Vector512.Load(r3);
            var b0 = Vector512.Load(r0 + 4);
            var b1 = Vector512.Load(r1 + 4);
            var b2 = Vector512.Load(r2 + 4);
            var b3 = Vector512.Load(r3 + 4);
            InputRows(
                TileColumn(a0, a1, a2, a3, s_tileLow0, s_tileHigh0, high),
                TileColumn(a0, a1, a2, a3, s_tileLow1, s_tileHigh1, high),
                TileColumn(a0, a1, a2, a3, s_tileLow2, s_tileHigh2, high),
                TileColumn(a0, a1, a2, a3, s_tileLow3, s_tileHigh3, high),
                TileColumn(b0, b1, b2, b3, s_tileLow0, s_tileHigh0, high),
                TileColumn(b0, b1, b2, b3, s_tileLow1, s_tileHigh1, high),
                out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
            StoreRow(tmp + (6 * i * Lanes), o0, o1, o2, o3, o4, o5);
        }

        ColumnPass(tmp, v, vPlane);
    }

    /// <summary>
    /// V[ξν][·][16 lanes] = (Bᵀ d_t B)[ξ][ν] for four images' planes of 2 × 2 tiles (lane 4·k + 2·ty + tx for image k): per image, one
    /// two-source permute of its two tile rows gives its four tiles' element (i, j); masks join the four images. Images from
    /// <paramref name="images"/> on read the zero area.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputPermuted2x2(float* padded, long planeSize, int stride, int images, float* zero, float* v, long vPlane, float* tmp)
    {
        var p0 = padded;
        var p1 = images > 1 ? padded + planeSize : zero;
        var p2 = images > 2 ? padded + (2 * planeSize) : zero;
        var p3 = images > 3 ? padded + (3 * planeSize) : zero;
        var lanes = s_laneIndex;
        var m0 = Vector512.LessThan(lanes, Vector512.Create(4f));
        var m1 = Vector512.LessThan(lanes, Vector512.Create(8f));
        var m2 = Vector512.LessThan(lanes, Vector512.Create(12f));
        var z = stackalloc Vector512<float>[6];
        for (var i = 0; i < 6; i++)
        {
            var top = (long)i * stride;
            var bottom = (long)(4 + i) * stride;
            var a0 = Vector512.Load(p0 + top);
            var b0 = Vector512.Load(p0 + bottom);
            var a1 = Vector512.Load(p1 + top);
            var b1 = Vector512.Load(p1 + bottom);
            var a2 = Vector512.Load(p2 + top);
            var b2 = Vector512.Load(p2 + bottom);
            var a3 = Vector512.Load(p3 + top);
            var b3 = Vector512.Load(p3 + bottom);
            for (var j = 0; j < 6; j++)
            {
                var index = s_quadIndex[j];
                z[j] = Vector512.ConditionalSelect(m0, Avx512F.PermuteVar16x32x2(a0, index, b0),
                    Vector512.ConditionalSelect(m1, Avx512F.PermuteVar16x32x2(a1, index, b1),
                        Vector512.ConditionalSelect(m2, Avx512F.PermuteVar16x32x2(a2, index, b2), Avx512F.PermuteVar16x32x2(a3, index, b3))));
            }

            InputRows(z[0], z[1], z[2], z[3], z[4], z[5], out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
            StoreRow(tmp + (6 * i * Lanes), o0, o1, o2, o3, o4, o5);
        }

        ColumnPass(tmp, v, vPlane);
    }

    /// <summary>Lanes 4·ty + tx = row_ty[4·tx + j] for the rows r0..r3 (j fixed by the index pair).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TileColumn(
        Vector512<float> r0, Vector512<float> r1, Vector512<float> r2, Vector512<float> r3, Vector512<int> low, Vector512<int> high, Vector512<uint> upperHalf) =>
        Vector512.ConditionalSelect(
            upperHalf.AsSingle(), Avx512F.PermuteVar16x32x2(r2, high, r3), Avx512F.PermuteVar16x32x2(r0, low, r1));

    /// <summary>Gathers 16 floats at <paramref name="at"/> + the 16 offsets (two 8-lane gathers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Gather(float* at, Vector256<int> low, Vector256<int> high) =>
        Vector512.Create(Avx2.GatherVector256(at, low, 4), Avx2.GatherVector256(at, high, 4));

    /// <summary>V[6k + l] = Σ_i Bᵀ[k][i] tmp[6i + l] for 16 tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnPass(float* tmp, float* v, long vPlane)
    {
        for (var col = 0; col < 6; col++)
        {
            var src = tmp + (col * Lanes);
            InputRows(
                Vector512.Load(src), Vector512.Load(src + (6 * Lanes)), Vector512.Load(src + (12 * Lanes)),
                Vector512.Load(src + (18 * Lanes)), Vector512.Load(src + (24 * Lanes)), Vector512.Load(src + (30 * Lanes)),
                out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
            var dst = v + ((long)col * vPlane);
            o0.Store(dst);
            o1.Store(dst + (6 * vPlane));
            o2.Store(dst + (12 * vPlane));
            o3.Store(dst + (18 * vPlane));
            o4.Store(dst + (24 * vPlane));
            o5.Store(dst + (30 * vPlane));
        }
    }

    /// <summary>y = Aᵀ z for one 6-vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputRows(
        Vector512<float> z0, Vector512<float> z1, Vector512<float> z2, Vector512<float> z3, Vector512<float> z4, Vector512<float> z5,
        out Vector512<float> y0, out Vector512<float> y1, out Vector512<float> y2, out Vector512<float> y3)
    {
        var p = z1 + z2;
        var q = z1 - z2;
        var r = z3 + z4;
        var s = z3 - z4;
        y0 = z0 + p + r;
        y1 = Vector512.FusedMultiplyAdd(Vector512.Create(2f), s, q);
        y2 = Vector512.FusedMultiplyAdd(Vector512.Create(4f), r, p);
        y3 = Vector512.FusedMultiplyAdd(Vector512.Create(8f), s, q) + z5;
    }

    /// <summary>O[4r + s][t] = (Aᵀ M_t A)[r][s] + bias for the tiles [0, <paramref name="valid"/>) of one output channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformOutput(float* m, long mPlane, int valid, Vector512<float> bias, float* o, int tPad, float* tmp)
    {
        for (var t0 = 0; t0 < valid; t0 += Lanes)
        {
            // Row pass: tmp[4i + s] = (M A)[i][s]
            for (var i = 0; i < 6; i++)
            {
                var src = m + ((long)6 * i * mPlane) + t0;
                OutputRows(
                    Vector512.Load(src), Vector512.Load(src + mPlane), Vector512.Load(src + (2 * mPlane)),
                    Vector512.Load(src + (3 * mPlane)), Vector512.Load(src + (4 * mPlane)), Vector512.Load(src + (5 * mPlane)),
                    out var y0, out var y1, out var y2, out var y3);
                var dst = tmp + (4 * i * Lanes);
                y0.Store(dst);
                y1.Store(dst + Lanes);
                y2.Store(dst + (2 * Lanes));
                y3.Store(dst + (3 * Lanes));
            }

            // Column pass: O[4r + s] = Σ_i Aᵀ[r][i] tmp[4i + s] + bias
            for (var s = 0; s < 4; s++)
            {
                var src = tmp + (s * Lanes);
                OutputRows(
                    Vector512.Load(src), Vector512.Load(src + (4 * Lanes)), Vector512.Load(src + (8 * Lanes)),
                    Vector512.Load(src + (12 * Lanes)), Vector512.Load(src + (16 * Lanes)), Vector512.Load(src + (20 * Lanes)),
                    out var y0, out var y1, out var y2, out var y3);
                var dst = o + t0 + ((long)s * tPad);
                (y0 + bias).Store(dst);
                (y1 + bias).Store(dst + (4L * tPad));
                (y2 + bias).Store(dst + (8L * tPad));
                (y3 + bias).Store(dst + (12L * tPad));
            }
        }
    }

    /// <summary>
    /// Writes the 4×4 output tiles of <paramref name="count"/> images of one channel (image i's tiles from O[·][i·T] on, its plane at
    /// <paramref name="y"/> + i·<paramref name="planeStride"/>). Planes of whole 4 × 4-tile rows 16 wide, and 8 × 8 planes, take
    /// the 16-lane vectors whole (two tile rows, or two images, per interleave); other shapes go one image at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterImages(in Conv2dGeometry g, in Layout l, float* o, int count, float* y, float* gate, long planeStride)
    {
        if (g.OutWidth == 16 && g.OutHeight == 4 * l.TilesY && l.TilesY % 2 == 0)
        {
            for (var i = 0; i < count; i++)
            {
                ScatterWideRows(l, o + (i * l.T), y + (i * planeStride), gate is null ? null : gate + (i * planeStride));
            }

            return;
        }

        if (g.OutWidth == 8 && g.OutHeight == 8)
        {
            for (var i = 0; i < count; i += 2)
            {
                // The odd image out of the last pair reads tiles past the group (inside the spare vector of O) and stores nothing.
                var second = i + 1 < count;
                Scatter8x8Pair(
                    o + (i * l.T), l.TPad, y + (i * planeStride), second ? y + ((i + 1) * planeStride) : null,
                    gate is null ? null : gate + (i * planeStride), gate is null || !second ? null : gate + ((i + 1) * planeStride));
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            ScatterTiles(g, l, o + (i * l.T), l.TPad, y + (i * planeStride), gate is null ? null : gate + (i * planeStride));
        }
    }

    /// <summary>
    /// One image of 16-wide output rows (4 tiles per tile row, an even number of tile rows): the interleave of 8 tiles gives output
    /// row 4·ty + r in its low half and row 4·(ty + 1) + r in its high half, both stored whole.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterWideRows(in Layout l, float* o, float* y, float* gate)
    {
        var tPad = l.TPad;
        for (var ty = 0; ty < l.TilesY; ty += 2)
        {
            for (var rr = 0; rr < 4; rr++)
            {
                Interleave(o + ((long)4 * rr * tPad) + (ty * 4), tPad, out var low, out var high);
                var first = ((4 * ty) + rr) * 16;
                var second = first + (4 * 16);
                if (gate is not null)
                {
                    low = WinogradConvolution.Gate(low, Vector512.Load(gate + first));
                    high = WinogradConvolution.Gate(high, Vector512.Load(gate + second));
                }

                low.Store(y + first);
                high.Store(y + second);
            }
        }
    }

    /// <summary>
    /// Two images of 8 × 8 outputs (2 × 2 tiles each): for each tile-row offset r the interleave of their 8 tiles gives rows r and
    /// 4 + r of the first image (low half) and of the second (high half), stored as 8-float halves. A null <paramref name="y1"/>
    /// skips the second image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter8x8Pair(float* o, int tPad, float* y0, float* y1, float* gate0, float* gate1)
    {
        for (var rr = 0; rr < 4; rr++)
        {
            Interleave(o + ((long)4 * rr * tPad), tPad, out var low, out var high);
            var top = rr * 8;
            var bottom = (4 + rr) * 8;
            if (gate0 is not null)
            {
                low = WinogradConvolution.Gate(low, Vector512.Create(Vector256.Load(gate0 + top), Vector256.Load(gate0 + bottom)));
            }

            low.GetLower().Store(y0 + top);
            low.GetUpper().Store(y0 + bottom);
            if (y1 is null)
            {
                continue;
            }

            if (gate1 is not null)
            {
                high = WinogradConvolution.Gate(high, Vector512.Create(Vector256.Load(gate1 + top), Vector256.Load(gate1 + bottom)));
            }

            high.GetLower().Store(y1 + top);
            high.GetUpper().Store(y1 + bottom);
        }
    }

    /// <summary>Row r of 8 consecutive tiles (O[4r + s][t..t + 8) at <paramref name="s"/>): tiles t..t + 3 in <paramref name="low"/>, t + 4..t + 7 in <paramref name="high"/>, 4 columns per tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(float* s, int tPad, out Vector512<float> low, out Vector512<float> high)
    {
        var ab = Avx512F.PermuteVar16x32x2(Vector512.Load(s), s_pairs, Vector512.Load(s + tPad));
        var cd = Avx512F.PermuteVar16x32x2(Vector512.Load(s + (2L * tPad)), s_pairs, Vector512.Load(s + (3L * tPad)));
        low = Avx512F.PermuteVar16x32x2(ab, s_quadsLow, cd);
        high = Avx512F.PermuteVar16x32x2(ab, s_quadsHigh, cd);
    }

    /// <summary>Writes the 4×4 output tiles of one image and channel (O[4r + s][t]) into the NCHW plane, cropping at its edges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterTiles(in Conv2dGeometry g, in Layout l, float* o, int tPad, float* y, float* gate)
    {
        for (var ty = 0; ty < l.TilesY; ty++)
        {
            for (var rr = 0; rr < 4; rr++)
            {
                var oy = (4 * ty) + rr;
                if (oy >= g.OutHeight)
                {
                    break;
                }

                var src = o + ((long)4 * rr * tPad) + (ty * l.TilesX);
                var line = y + ((long)oy * g.OutWidth);
                var gateLine = gate is null ? null : gate + ((long)oy * g.OutWidth);
                for (var tx0 = 0; tx0 < l.TilesX; tx0 += 8)
                {
                    Interleave(src + tx0, tPad, out var low, out var high);
                    var columns = Math.Min(2 * Lanes, g.OutWidth - (4 * tx0));
                    var dst = line + (4 * tx0);
                    var gateAt = gateLine is null ? null : gateLine + (4 * tx0);
                    if (columns == 2 * Lanes)
                    {
                        if (gateAt is not null)
                        {
                            low = WinogradConvolution.Gate(low, Vector512.Load(gateAt));
                            high = WinogradConvolution.Gate(high, Vector512.Load(gateAt + Lanes));
                        }

                        low.Store(dst);
                        high.Store(dst + Lanes);
                        continue;
                    }

                    var n = Vector512.Create((float)columns);
                    var lowMask = Vector512.LessThan(s_laneIndex, n);
                    if (gateAt is not null)
                    {
                        low = WinogradConvolution.Gate(low, Avx512F.MaskLoad(gateAt, lowMask, Vector512<float>.Zero));
                    }

                    Avx512F.MaskStore(dst, lowMask, low);
                    if (columns > Lanes)
                    {
                        var highMask = Vector512.LessThan(s_laneIndex, n - Vector512.Create((float)Lanes));
                        if (gateAt is not null)
                        {
                            high = WinogradConvolution.Gate(high, Avx512F.MaskLoad(gateAt + Lanes, highMask, Vector512<float>.Zero));
                        }

                        Avx512F.MaskStore(dst + Lanes, highMask, high);
                    }
                }
            }
        }
    }
}
