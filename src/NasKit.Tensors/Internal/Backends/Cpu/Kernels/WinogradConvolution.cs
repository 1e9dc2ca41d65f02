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
/// columns, so a tile's four columns are lanes k and k+1 of two arrays.</para>
/// <para>The input gradient is the same convolution of dY with flipped, channel-transposed filters. The filter gradient is
/// dg = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ V]G: sixteen inner-product reductions over tiles.</para>
/// <para>All entries of the transforms are 0, ±1 and ±½, so the rounding error stays close to direct convolution.</para>
/// </remarks>
internal static unsafe class WinogradConvolution
{
    private const int Lanes = 16;
    private const int Block = 16;

    [ThreadStatic]
    private static float[]? t_work;

    private static readonly Vector512<int> s_even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> s_odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Gets whether Winograd applies: 3×3, stride 1, no dilation or groups, padding ≤ 2, a batch of at least 2.</summary>
    public static bool CanUse(in Conv2dGeometry g) =>
        IsSupported && g is { KernelH: 3, KernelW: 3, StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1, Groups: 1 }
        && g.PadH <= 2 && g.PadW <= 2 && g.OutHeight > 0 && g.OutWidth > 0
        && g.InChannels >= 8 && g.OutChannels >= 8 && g.Batch >= 2;

    /// <summary>
    /// Gets whether Winograd beats the direct kernel for this geometry. Measured with the engine's own kernels on a 2-core Zen 4
    /// (perf/README.md): the transforms only pay off for wide layers on planes of 12×12 and more (64→128 channels at 14×14:
    /// 174 vs 157 GFLOP/s forward); at 16–64 channels the direct kernel is as fast or faster, so it stays the default there.
    /// </summary>
    public static bool Pays(in Conv2dGeometry g) =>
        CanUse(g) && (long)g.InChannels * g.OutChannels >= 64 * 128 && g.OutHeight >= 12 && g.OutWidth >= 12;

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
        var cin = g.InChannels;
        var u = TransformFilters(g.OutChannels, g.InChannels, (co, ci, r, c) => w[wOffset + (((co * cin) + ci) * 9) + (r * 3) + c]);
        Run(g, x, xOffset, u, bias, biasOffset, y, yOffset);
        Storage.BufferPool.Return(u);
    }

    public static void BackwardInput(in Conv2dGeometry g, float[] dy, int dyOffset, float[] w, int wOffset, float[] dx, int dxOffset)
    {
        var cin = g.InChannels;
        var u = TransformFilters(g.InChannels, g.OutChannels, (ci, co, r, c) => w[wOffset + (((co * cin) + ci) * 9) + ((2 - r) * 3) + (2 - c)]);
        var transposed = new Conv2dGeometry(
            g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.InHeight, g.InWidth, 3, 3, 1, 1, 2 - g.PadH, 2 - g.PadW, 1, 1, 1);
        Run(transposed, dy, dyOffset, u, null, 0, dx, dxOffset);
        Storage.BufferPool.Return(u);
    }

    /// <summary>U[ξν] = G g Gᵀ for every (output, input) channel pair, packed as [ξν][output block][input channel][16 outputs].</summary>
    private static float[] TransformFilters(int outChannels, int inChannels, Func<int, int, int, int, float> filter)
    {
        var blocks = (outChannels + Block - 1) / Block;
        var packed = Storage.BufferPool.Rent(16 * blocks * inChannels * Block, out _);
        Array.Clear(packed, 0, 16 * blocks * inChannels * Block);
        Span<float> gg = stackalloc float[9];
        Span<float> tmp = stackalloc float[12];
        for (var co = 0; co < outChannels; co++)
        {
            for (var ci = 0; ci < inChannels; ci++)
            {
                for (var r = 0; r < 3; r++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        gg[(r * 3) + c] = filter(co, ci, r, c);
                    }
                }

                // tmp = G g (4×3)
                for (var c = 0; c < 3; c++)
                {
                    float g0 = gg[c], g1 = gg[3 + c], g2 = gg[6 + c];
                    tmp[c] = g0;
                    tmp[3 + c] = 0.5f * (g0 + g1 + g2);
                    tmp[6 + c] = 0.5f * (g0 - g1 + g2);
                    tmp[9 + c] = g2;
                }

                // U = tmp Gᵀ (4×4)
                var b = co / Block;
                var j = co % Block;
                for (var r = 0; r < 4; r++)
                {
                    float t0 = tmp[r * 3], t1 = tmp[(r * 3) + 1], t2 = tmp[(r * 3) + 2];
                    Span<float> row = [t0, 0.5f * (t0 + t1 + t2), 0.5f * (t0 - t1 + t2), t2];
                    for (var c = 0; c < 4; c++)
                    {
                        var xi = (r * 4) + c;
                        packed[((((xi * blocks) + b) * inChannels) + ci) * Block + j] = row[c];
                    }
                }
            }
        }

        return packed;
    }

    private static void Run(in Conv2dGeometry g, float[] x, int xOffset, float[] u, float[]? bias, int biasOffset, float[] y, int yOffset)
    {
        var geo = g;
        var layout = Layout.For(g);
        var blocks = (g.OutChannels + Block - 1) / Block;
        var inSize = g.InChannels * g.InPlane;
        var outSize = g.OutChannels * g.OutPlane;
        var splitSize = g.InChannels * layout.Rows * layout.RowLength; // even (or odd) columns of the padded image
        var vSize = 16 * g.InChannels * layout.TPad;
        var mSize = 16 * Block * layout.TPad;
        var sSize = Block * 4 * layout.TPad;
        CpuParallel.ForRange(g.Batch, 1, (n0, n1) =>
        {
            var work = Buffer(ref t_work, (2 * splitSize) + vSize + mSize + sSize + (8 * layout.RowLength));
            fixed (float* wp = work, up = u)
            {
                var even = wp;
                var odd = even + splitSize;
                var v = odd + splitSize;
                var m = v + vSize;
                var stage = m + mSize;
                var scratch = stage + sSize;
                var tap = stackalloc int[1];
                var biasBlock = stackalloc float[Block];
                for (var n = (int)n0; n < n1; n++)
                {
                    Split(geo, layout, x, xOffset + (n * inSize), even, odd);
                    TransformInput(geo, layout, even, odd, v, scratch);
                    for (var b = 0; b < blocks; b++)
                    {
                        for (var j = 0; j < Block; j++)
                        {
                            biasBlock[j] = 0f;
                        }

                        for (var xi = 0; xi < 16; xi++)
                        {
                            var ub = up + ((((long)xi * blocks) + b) * geo.InChannels * Block);
                            var vx = v + ((long)xi * geo.InChannels * layout.TPad);
                            var mx = m + ((long)xi * Block * layout.TPad);
                            for (var t0 = 0; t0 < layout.T; t0 += Lanes)
                            {
                                DirectConvolution.Tile16(vx + t0, layout.TPad, geo.InChannels, tap, 1, ub, biasBlock, mx + t0, layout.TPad);
                            }
                        }

                        TransformOutput(geo, layout, m, b, bias, biasOffset, stage, y, yOffset + (n * outSize));
                    }
                }
            }
        });
    }

    /// <summary>
    /// Computes dW (overwriting it) and, when given, db = Σ dY. Tiles of several images are laid side by side along the tile
    /// axis, so each of the 16 reductions dU[ξν] = Σ_t dM[ξν][·][t]·V[ξν][·][t] runs long vectors before its horizontal sums;
    /// then dW = Gᵀ dU G. Images are split across threads and the per-thread partial sums are added in thread order.
    /// </summary>
    public static void BackwardWeight(in Conv2dGeometry g, float[] dy, int dyOffset, float[] x, int xOffset, float[] dw, int dwOffset, float[]? db, int dbOffset)
    {
        var geo = g;
        var layout = Layout.For(g);
        var group = Math.Clamp(1024 / layout.TPad, 1, 16);
        var chunks = CpuParallel.InParallelRegion ? 1 : Math.Min(CpuParallel.ThreadCount, g.Batch);
        var inSize = g.InChannels * g.InPlane;
        var outSize = g.OutChannels * g.OutPlane;
        var partials = new float[chunks][];
        var biasPartials = new double[chunks][];

        void Chunk(int chunk)
        {
            var (n0, n1) = CpuParallel.ChunkBounds(geo.Batch, chunks, chunk);
            var span = Math.Min(group, (int)(n1 - n0));
            var width = span * layout.TPad; // tile axis of the whole group
            var splitSize = geo.InChannels * layout.Rows * layout.RowLength;
            var vSize = 16 * geo.InChannels * width;
            var mSize = 16 * geo.OutChannels * width;
            var work = Buffer(ref t_work, (2 * splitSize) + vSize + mSize + (8 * layout.RowLength) + (4 * layout.TPad));
            var du = new float[16 * geo.OutChannels * geo.InChannels];
            var biasPartial = db is null ? null : new double[geo.OutChannels];
            var partialSums = stackalloc float[16 * Lanes];
            fixed (float* wp = work, dup = du)
            {
                var even = wp;
                var odd = even + splitSize;
                var v = odd + splitSize;
                var m = v + vSize;
                var scratch = m + mSize;
                var gather = scratch + (8 * layout.RowLength);
                for (var first = (int)n0; first < n1; first += span)
                {
                    var count = Math.Min(span, (int)(n1 - first));
                    new Span<float>(v, vSize).Clear();
                    new Span<float>(m, mSize).Clear();
                    for (var i = 0; i < count; i++)
                    {
                        Split(geo, layout, x, xOffset + ((first + i) * inSize), even, odd);
                        TransformInputInto(geo, layout, even, odd, v + ((long)i * layout.TPad), width, scratch);
                        for (var row = 0; row < 16 * geo.InChannels; row++)
                        {
                            // Lanes past the last tile may hold spill of finite (or, from non-finite inputs, NaN) values.
                            new Span<float>(v + ((long)row * width) + ((long)i * layout.TPad) + layout.T, layout.TPad - layout.T).Clear();
                        }

                        TransformGradient(geo, layout, dy, dyOffset + ((first + i) * outSize), m + ((long)i * layout.TPad), width, gather, biasPartial);
                    }

                    // Tiles t >= T of each image are zero in dM (cleared above and never written), so the padded tails add nothing.
                    for (var xi = 0; xi < 16; xi++)
                    {
                        var mx = m + ((long)xi * geo.OutChannels * width);
                        var vx = v + ((long)xi * geo.InChannels * width);
                        var ux = dup + ((long)xi * geo.OutChannels * geo.InChannels);
                        for (var co0 = 0; co0 < geo.OutChannels; co0 += 4)
                        {
                            for (var ci0 = 0; ci0 < geo.InChannels; ci0 += 4)
                            {
                                DotTile(mx, vx, width, co0, geo.OutChannels, ci0, geo.InChannels, count * layout.TPad, ux, partialSums);
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
        for (var c = 1; c < chunks; c++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(total, partials[c], total);
        }

        // dW = Gᵀ dU G for every (output, input) channel pair
        var pairs = g.OutChannels * g.InChannels;
        Span<float> tmp = stackalloc float[12];
        for (var pair = 0; pair < pairs; pair++)
        {
            // tmp = Gᵀ dU (3×4); Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]]
            for (var nu = 0; nu < 4; nu++)
            {
                float u0 = total[(((0 * 4) + nu) * pairs) + pair], u1 = total[(((1 * 4) + nu) * pairs) + pair];
                float u2 = total[(((2 * 4) + nu) * pairs) + pair], u3 = total[(((3 * 4) + nu) * pairs) + pair];
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

    /// <summary>Input transform of one image into columns [0, T) of rows of length <paramref name="width"/> (the group's tile axis).</summary>
    private static void TransformInputInto(in Conv2dGeometry g, in Layout l, float* even, float* odd, float* v, int width, float* scratch)
    {
        // TransformInput writes rows of stride TPad; write into a staging layout with the group's stride instead.
        var channelSize = l.Rows * l.RowLength;
        var len = l.RowLength;
        var chunks = (l.TilesX + Lanes - 1) / Lanes;
        Span<float> buf = stackalloc float[Lanes * 4];
        for (var c = 0; c < g.InChannels; c++)
        {
            var ce = even + ((long)c * channelSize);
            var co = odd + ((long)c * channelSize);
            for (var ty = 0; ty < l.TilesY; ty++)
            {
                RowTransform(ce + ((long)2 * ty * len), len, scratch, chunks);
                RowTransform(co + ((long)2 * ty * len), len, scratch + (4 * len), chunks);
                var t = ty * l.TilesX;
                var last = ty == l.TilesY - 1;
                for (var xi = 0; xi < 4; xi++)
                {
                    var e = scratch + (xi * len);
                    var o = scratch + ((4 + xi) * len);
                    var dst0 = v + ((((long)((xi * 4) + 0) * g.InChannels) + c) * width) + t;
                    var dst1 = v + ((((long)((xi * 4) + 1) * g.InChannels) + c) * width) + t;
                    var dst2 = v + ((((long)((xi * 4) + 2) * g.InChannels) + c) * width) + t;
                    var dst3 = v + ((((long)((xi * 4) + 3) * g.InChannels) + c) * width) + t;
                    for (var k = 0; k < chunks * Lanes; k += Lanes)
                    {
                        var e0 = Vector512.Load(e + k);
                        var e1 = Vector512.Load(e + k + 1);
                        var o0 = Vector512.Load(o + k);
                        var o1 = Vector512.Load(o + k + 1);
                        if (last && k + Lanes > l.TilesX)
                        {
                            // The last tile row must not spill finite-but-meaningless lanes into the next image's columns.
                            var valid = l.TilesX - k;
                            (e0 - e1).CopyTo(buf);
                            (o0 + e1).CopyTo(buf[Lanes..]);
                            (e1 - o0).CopyTo(buf[(2 * Lanes)..]);
                            (o0 - o1).CopyTo(buf[(3 * Lanes)..]);
                            for (var lane = 0; lane < valid; lane++)
                            {
                                dst0[k + lane] = buf[lane];
                                dst1[k + lane] = buf[Lanes + lane];
                                dst2[k + lane] = buf[(2 * Lanes) + lane];
                                dst3[k + lane] = buf[(3 * Lanes) + lane];
                            }

                            continue;
                        }

                        (e0 - e1).Store(dst0 + k);
                        (o0 + e1).Store(dst1 + k);
                        (e1 - o0).Store(dst2 + k);
                        (o0 - o1).Store(dst3 + k);
                    }
                }
            }
        }
    }

    /// <summary>dM[ξν][co][t] = (A dY_t Aᵀ)[ξν] for one image (positions outside the output are zero), and the bias gradient.</summary>
    private static void TransformGradient(in Conv2dGeometry g, in Layout l, float[] dy, int offset, float* m, int width, float* gather, double[]? biasPartial)
    {
        var y00 = gather;
        var y01 = y00 + l.TPad;
        var y10 = y01 + l.TPad;
        var y11 = y10 + l.TPad;
        var plane = (long)g.OutChannels * width;
        for (var co = 0; co < g.OutChannels; co++)
        {
            var src = dy.AsSpan(offset + (co * g.OutPlane), g.OutPlane);
            if (biasPartial is not null)
            {
                biasPartial[co] += CpuBackend.SumPreciseDouble(src);
            }

            new Span<float>(gather, 4 * l.TPad).Clear();
            for (var ty = 0; ty < l.TilesY; ty++)
            {
                var row0 = 2 * ty * g.OutWidth;
                var hasRow1 = (2 * ty) + 1 < g.OutHeight;
                var t = ty * l.TilesX;
                for (var tx = 0; tx < l.TilesX; tx++)
                {
                    var col = 2 * tx;
                    var hasCol1 = col + 1 < g.OutWidth;
                    y00[t + tx] = src[row0 + col];
                    y01[t + tx] = hasCol1 ? src[row0 + col + 1] : 0f;
                    y10[t + tx] = hasRow1 ? src[row0 + g.OutWidth + col] : 0f;
                    y11[t + tx] = hasRow1 && hasCol1 ? src[row0 + g.OutWidth + col + 1] : 0f;
                }
            }

            var dst = m + ((long)co * width);
            for (var t = 0; t < l.T; t += Lanes)
            {
                var a00 = Vector512.Load(y00 + t);
                var a01 = Vector512.Load(y01 + t);
                var a10 = Vector512.Load(y10 + t);
                var a11 = Vector512.Load(y11 + t);

                // Z = dY Aᵀ: row i = [y_i0, y_i0 + y_i1, y_i0 − y_i1, −y_i1]; dM = A Z: rows [Z0, Z0 + Z1, Z0 − Z1, −Z1]
                var z00 = a00;
                var z01 = a00 + a01;
                var z02 = a00 - a01;
                var z03 = -a01;
                var z10 = a10;
                var z11 = a10 + a11;
                var z12 = a10 - a11;
                var z13 = -a11;
                var lanes = Math.Min(Lanes, l.T - t);
                Store(dst + (0 * plane) + t, z00, lanes);
                Store(dst + (1 * plane) + t, z01, lanes);
                Store(dst + (2 * plane) + t, z02, lanes);
                Store(dst + (3 * plane) + t, z03, lanes);
                Store(dst + (4 * plane) + t, z00 + z10, lanes);
                Store(dst + (5 * plane) + t, z01 + z11, lanes);
                Store(dst + (6 * plane) + t, z02 + z12, lanes);
                Store(dst + (7 * plane) + t, z03 + z13, lanes);
                Store(dst + (8 * plane) + t, z00 - z10, lanes);
                Store(dst + (9 * plane) + t, z01 - z11, lanes);
                Store(dst + (10 * plane) + t, z02 - z12, lanes);
                Store(dst + (11 * plane) + t, z03 - z13, lanes);
                Store(dst + (12 * plane) + t, -z10, lanes);
                Store(dst + (13 * plane) + t, -z11, lanes);
                Store(dst + (14 * plane) + t, -z12, lanes);
                Store(dst + (15 * plane) + t, -z13, lanes);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector512<float> v, int lanes)
    {
        if (lanes == Lanes)
        {
            v.Store(dst);
            return;
        }

        for (var i = 0; i < lanes; i++)
        {
            dst[i] = v.GetElement(i);
        }
    }

    /// <summary>acc[co][ci] += Σ_t a[co][t]·b[ci][t] for a 4×4 block of (output, input) channels, rows of length <paramref name="length"/>.</summary>
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

    private static float[] Buffer(ref float[]? cache, int length)
    {
        if (cache is null || cache.Length < length)
        {
            cache = GC.AllocateUninitializedArray<float>(length, pinned: true);
        }

        return cache;
    }

    /// <summary>
    /// Writes the zero-padded image as even and odd padded columns: even[c][r][k] = Xpad[c][r][2k], odd[c][r][k] = Xpad[c][r][2k + 1],
    /// for the padded rows and columns the tiles read (zero outside the image).
    /// </summary>
    private static void Split(in Conv2dGeometry g, in Layout l, float[] x, int offset, float* even, float* odd)
    {
        var channelSize = l.Rows * l.RowLength;
        new Span<float>(even, g.InChannels * channelSize).Clear();
        new Span<float>(odd, g.InChannels * channelSize).Clear();
        fixed (float* xp = x)
        {
            for (var c = 0; c < g.InChannels; c++)
            {
                var plane = xp + offset + ((long)c * g.InPlane);
                for (var iy = 0; iy < g.InHeight; iy++)
                {
                    var r = iy + g.PadH;
                    if (r >= l.Rows)
                    {
                        break;
                    }

                    var src = plane + ((long)iy * g.InWidth);
                    var dstEven = even + ((long)c * channelSize) + ((long)r * l.RowLength);
                    var dstOdd = odd + ((long)c * channelSize) + ((long)r * l.RowLength);

                    // Padded column of input column ix is ix + pad. With an even pad, even padded columns hold even inputs.
                    float* toEven, toOdd;
                    if (g.PadW % 2 == 0)
                    {
                        toEven = dstEven;
                        toOdd = dstOdd;
                    }
                    else
                    {
                        toEven = dstOdd;
                        toOdd = dstEven + 1;
                    }

                    var shift = g.PadW / 2;
                    var ix = 0;
                    var limit = Math.Min(g.InWidth, 2 * (l.RowLength - 1 - shift));
                    for (; ix + 32 <= limit; ix += 32)
                    {
                        var lo = Vector512.Load(src + ix);
                        var hi = Vector512.Load(src + ix + 16);
                        Avx512F.PermuteVar16x32x2(lo, s_even, hi).Store(toEven + shift + (ix / 2));
                        Avx512F.PermuteVar16x32x2(lo, s_odd, hi).Store(toOdd + shift + (ix / 2));
                    }

                    for (; ix < limit; ix++)
                    {
                        (ix % 2 == 0 ? toEven : toOdd)[shift + (ix / 2)] = src[ix];
                    }
                }
            }
        }
    }

    /// <summary>V[ξν][c][t] = (Bᵀ d_t B)[ξ][ν] for every channel and tile, 16 tiles per vector.</summary>
    private static void TransformInput(in Conv2dGeometry g, in Layout l, float* even, float* odd, float* v, float* scratch)
    {
        var channelSize = l.Rows * l.RowLength;
        var len = l.RowLength;
        var chunks = (l.TilesX + Lanes - 1) / Lanes;
        // scratch: 4 row-transformed even rows, then 4 odd rows
        for (var c = 0; c < g.InChannels; c++)
        {
            var ce = even + ((long)c * channelSize);
            var co = odd + ((long)c * channelSize);
            for (var ty = 0; ty < l.TilesY; ty++)
            {
                RowTransform(ce + ((long)2 * ty * len), len, scratch, chunks);
                RowTransform(co + ((long)2 * ty * len), len, scratch + (4 * len), chunks);
                var t = ty * l.TilesX;
                for (var xi = 0; xi < 4; xi++)
                {
                    var e = scratch + (xi * len);
                    var o = scratch + ((4 + xi) * len);
                    var dst0 = v + ((((long)((xi * 4) + 0) * g.InChannels) + c) * l.TPad) + t;
                    var dst1 = v + ((((long)((xi * 4) + 1) * g.InChannels) + c) * l.TPad) + t;
                    var dst2 = v + ((((long)((xi * 4) + 2) * g.InChannels) + c) * l.TPad) + t;
                    var dst3 = v + ((((long)((xi * 4) + 3) * g.InChannels) + c) * l.TPad) + t;
                    for (var k = 0; k < chunks * Lanes; k += Lanes)
                    {
                        var e0 = Vector512.Load(e + k);
                        var e1 = Vector512.Load(e + k + 1);
                        var o0 = Vector512.Load(o + k);
                        var o1 = Vector512.Load(o + k + 1);
                        (e0 - e1).Store(dst0 + k);
                        (o0 + e1).Store(dst1 + k);
                        (e1 - o0).Store(dst2 + k);
                        (o0 - o1).Store(dst3 + k);
                    }
                }
            }
        }
    }

    /// <summary>Bᵀ applied to four consecutive rows: (d0 − d2, d1 + d2, d2 − d1, d1 − d3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowTransform(float* rows, int len, float* dst, int chunks)
    {
        var n = (chunks * Lanes) + Lanes;
        for (var k = 0; k < n; k += Lanes)
        {
            var d0 = Vector512.Load(rows + k);
            var d1 = Vector512.Load(rows + len + k);
            var d2 = Vector512.Load(rows + (2 * len) + k);
            var d3 = Vector512.Load(rows + (3 * len) + k);
            (d0 - d2).Store(dst + k);
            (d1 + d2).Store(dst + len + k);
            (d2 - d1).Store(dst + (2 * len) + k);
            (d1 - d3).Store(dst + (3 * len) + k);
        }
    }

    /// <summary>Y_t = Aᵀ M_t A (+ bias) for one block of 16 output channels, then the 2×2 tiles are placed into the NCHW output.</summary>
    private static void TransformOutput(in Conv2dGeometry g, in Layout l, float* m, int block, float[]? bias, int biasOffset, float* stage, float[] y, int yOffset)
    {
        var count = Math.Min(Block, g.OutChannels - (block * Block));
        var plane = (long)Block * l.TPad;
        for (var j = 0; j < count; j++)
        {
            var co = (block * Block) + j;
            var b = Vector512.Create(bias is null ? 0f : bias[biasOffset + co]);
            var mj = m + ((long)j * l.TPad);
            var sj = stage + ((long)j * 4 * l.TPad);
            for (var t = 0; t < l.T; t += Lanes)
            {
                var m00 = Vector512.Load(mj + (0 * plane) + t);
                var m01 = Vector512.Load(mj + (1 * plane) + t);
                var m02 = Vector512.Load(mj + (2 * plane) + t);
                var m03 = Vector512.Load(mj + (3 * plane) + t);
                var m10 = Vector512.Load(mj + (4 * plane) + t);
                var m11 = Vector512.Load(mj + (5 * plane) + t);
                var m12 = Vector512.Load(mj + (6 * plane) + t);
                var m13 = Vector512.Load(mj + (7 * plane) + t);
                var m20 = Vector512.Load(mj + (8 * plane) + t);
                var m21 = Vector512.Load(mj + (9 * plane) + t);
                var m22 = Vector512.Load(mj + (10 * plane) + t);
                var m23 = Vector512.Load(mj + (11 * plane) + t);
                var m30 = Vector512.Load(mj + (12 * plane) + t);
                var m31 = Vector512.Load(mj + (13 * plane) + t);
                var m32 = Vector512.Load(mj + (14 * plane) + t);
                var m33 = Vector512.Load(mj + (15 * plane) + t);

                // Aᵀ M: rows 0 and 1
                var s00 = m00 + m10 + m20;
                var s01 = m01 + m11 + m21;
                var s02 = m02 + m12 + m22;
                var s03 = m03 + m13 + m23;
                var s10 = m10 - m20 - m30;
                var s11 = m11 - m21 - m31;
                var s12 = m12 - m22 - m32;
                var s13 = m13 - m23 - m33;

                // (Aᵀ M) A
                (s00 + s01 + s02 + b).Store(sj + t);
                (s01 - s02 - s03 + b).Store(sj + l.TPad + t);
                (s10 + s11 + s12 + b).Store(sj + (2 * l.TPad) + t);
                (s11 - s12 - s13 + b).Store(sj + (3 * l.TPad) + t);
            }

            var outPlane = y.AsSpan(yOffset + (co * g.OutPlane), g.OutPlane);
            var y00 = sj;
            var y01 = sj + l.TPad;
            var y10 = sj + (2 * l.TPad);
            var y11 = sj + (3 * l.TPad);
            for (var ty = 0; ty < l.TilesY; ty++)
            {
                var row0 = 2 * ty * g.OutWidth;
                var hasRow1 = (2 * ty) + 1 < g.OutHeight;
                var row1 = row0 + g.OutWidth;
                var t = ty * l.TilesX;
                var fullPairs = g.OutWidth / 2;
                for (var tx = 0; tx < fullPairs; tx++)
                {
                    outPlane[row0 + (2 * tx)] = y00[t + tx];
                    outPlane[row0 + (2 * tx) + 1] = y01[t + tx];
                    if (hasRow1)
                    {
                        outPlane[row1 + (2 * tx)] = y10[t + tx];
                        outPlane[row1 + (2 * tx) + 1] = y11[t + tx];
                    }
                }

                if (fullPairs < l.TilesX)
                {
                    outPlane[row0 + (2 * fullPairs)] = y00[t + fullPairs];
                    if (hasRow1)
                    {
                        outPlane[row1 + (2 * fullPairs)] = y10[t + fullPairs];
                    }
                }
            }
        }
    }
}
