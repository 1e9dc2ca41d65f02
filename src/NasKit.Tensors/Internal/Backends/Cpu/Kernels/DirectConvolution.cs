using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Direct convolution for stride-1, ungrouped 2-D convolutions (any kernel size, padding and dilation), without im2col.
/// </summary>
/// <remarks>
/// <para>The "flat padded" formulation: each input image is copied once into a zero-padded buffer of width Wp = W + 2·padW.
/// In that layout every kernel tap (ky, kx) is a constant shift d·ky·Wp + d·kx of a flat output index q = oy·Wp + ox, so 16
/// consecutive outputs are one unaligned vector load per tap and input channel, whatever the row width. Indices with
/// ox ≥ Wo are junk (they straddle the row end) and are dropped when the result is copied out; that costs 2·padW/Wp of extra
/// work (6% at 32×32, 20% at 8×8) and buys an inner loop with no boundary tests.</para>
/// <para>The forward micro-kernel keeps 16 output channels × 16 positions in 16 zmm accumulators: per (input channel, tap) it
/// loads one input vector and broadcasts 16 weights (packed contiguously per tap). The input gradient of a stride-1
/// convolution is itself such a convolution of the output gradient with the spatially flipped, channel-transposed weights.
/// The weight gradient is an inner-product kernel: 4 output channels × 4 (input channel, tap) pairs, reduced along q.</para>
/// <para>Used only where Vector512 is accelerated; other machines take the im2col + GEMM path.</para>
/// </remarks>
internal static unsafe class DirectConvolution
{
    private const int Lanes = 16;
    private const int Block = 16; // output channels per forward tile

    [ThreadStatic]
    private static float[]? t_padded;

    [ThreadStatic]
    private static float[]? t_stage;

    private static readonly ConditionalWeakTable<object, PackedWeights> s_packedForward = new();

    private static long s_forwardPacks;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>Gets how many times forward weights were packed since the process started (cached packs are not repeated).</summary>
    public static long ForwardPacks => Interlocked.Read(ref s_forwardPacks);

    /// <summary>Gets whether the direct path handles this geometry.</summary>
    public static bool CanUse(in Conv2dGeometry g) =>
        IsSupported && g.Groups == 1 && g.StrideH == 1 && g.StrideW == 1 && g.OutPlane > 0;

    /// <summary>Gets whether the direct path handles the input gradient of this geometry (a forward conv with flipped weights).</summary>
    public static bool CanUseBackwardInput(in Conv2dGeometry g) =>
        CanUse(g) && g.PadH <= g.DilationH * (g.KernelH - 1) && g.PadW <= g.DilationW * (g.KernelW - 1);

    /// <summary>
    /// Computes y = conv(x, w) + bias. With a <paramref name="weightKey"/> (the weight's storage) and its
    /// <paramref name="weightVersion"/>, the packed weights are kept per key and reused while the key, offset, version and shape
    /// stay the same: inference runs the same weights many times, and repacking them on every call took a fifth to a half
    /// of NAS-Bench-201's batch-1 inference (5.9–8.6 ms per forward before, 4.1–6.0 ms after, three alternating runs). Without a
    /// key the weights are packed for this call only.
    /// </summary>
    public static void Forward(
        in Conv2dGeometry g, float[] x, int xOffset, float[] w, int wOffset, float[]? bias, int biasOffset, float[] y, int yOffset,
        object? weightKey = null, int weightVersion = 0)
    {
        var rows = g.ColumnRows;
        if (weightKey is not null)
        {
            if (!s_packedForward.TryGetValue(weightKey, out var entry) || !entry.Matches(wOffset, weightVersion, g.OutChannels, rows))
            {
                // A new array per (re)pack: a caller still convolving with the previous entry keeps reading intact weights.
                var fresh = new float[PackedLength(g.OutChannels, rows)];
                PackRows(g.OutChannels, rows, w, wOffset, fresh);
                entry = new PackedWeights(wOffset, weightVersion, g.OutChannels, rows, fresh);
                s_packedForward.AddOrUpdate(weightKey, entry);
            }

            Run(g, x, xOffset, entry.Packed, bias, biasOffset, y, yOffset);
            return;
        }

        var packed = Storage.BufferPool.Rent(PackedLength(g.OutChannels, rows), out _);
        PackRows(g.OutChannels, rows, w, wOffset, packed);
        Run(g, x, xOffset, packed, bias, biasOffset, y, yOffset);
        Storage.BufferPool.Return(packed);
    }

    /// <summary>
    /// Computes dX of a stride-1 convolution as the forward convolution of dY with W'[ci, co, ky, kx] = W[co, ci, kh−1−ky, kw−1−kx]
    /// and padding d·(k−1) − p.
    /// </summary>
    public static void BackwardInput(in Conv2dGeometry g, float[] dy, int dyOffset, float[] w, int wOffset, float[] dx, int dxOffset)
    {
        var geo = g;
        var taps = g.KernelH * g.KernelW;
        var packed = PackForward(g.InChannels, g.OutChannels * taps, (ci, k) =>
        {
            var co = k / taps;
            var t = k % taps;
            var ky = geo.KernelH - 1 - (t / geo.KernelW);
            var kx = geo.KernelW - 1 - (t % geo.KernelW);
            return w[wOffset + (((co * geo.InChannels) + ci) * taps) + (ky * geo.KernelW) + kx];
        });
        var transposed = new Conv2dGeometry(
            g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.InHeight, g.InWidth, g.KernelH, g.KernelW, 1, 1,
            (g.DilationH * (g.KernelH - 1)) - g.PadH, (g.DilationW * (g.KernelW - 1)) - g.PadW, g.DilationH, g.DilationW, 1);
        Run(transposed, dy, dyOffset, packed, null, 0, dx, dxOffset);
        Storage.BufferPool.Return(packed);
    }

    private static int PackedLength(int channels, int k) => (channels + Block - 1) / Block * k * Block;

    /// <summary>Packs row-major weights w[co·k + kk] as [channel block][k][16 channels] into <paramref name="packed"/>, zero beyond the channel count.</summary>
    private static void PackRows(int channels, int k, float[] w, int offset, float[] packed)
    {
        Interlocked.Increment(ref s_forwardPacks);
        var blocks = (channels + Block - 1) / Block;
        for (var b = 0; b < blocks; b++)
        {
            var panel = packed.AsSpan(b * k * Block, k * Block);
            var count = Math.Min(Block, channels - (b * Block));
            if (count < Block)
            {
                panel.Clear();
            }

            for (var j = 0; j < count; j++)
            {
                var src = w.AsSpan(offset + (((b * Block) + j) * k), k);
                for (var kk = 0; kk < k; kk++)
                {
                    panel[(kk * Block) + j] = src[kk];
                }
            }
        }
    }

    /// <summary>
    /// Packs weights as [channel block][k][16 channels], zero beyond the channel count, reading each through
    /// <paramref name="weight"/>: the general form of <see cref="PackRows"/>, for the input gradient's flipped, transposed weights.
    /// </summary>
    private static float[] PackForward(int channels, int k, Func<int, int, float> weight)
    {
        var blocks = (channels + Block - 1) / Block;
        var packed = Storage.BufferPool.Rent(blocks * k * Block, out _);
        for (var b = 0; b < blocks; b++)
        {
            for (var kk = 0; kk < k; kk++)
            {
                var dst = ((b * k) + kk) * Block;
                for (var j = 0; j < Block; j++)
                {
                    var co = (b * Block) + j;
                    packed[dst + j] = co < channels ? weight(co, kk) : 0f;
                }
            }
        }

        return packed;
    }

    private readonly record struct Layout(int Hp, int Wp, int PlaneStride, int Q, int QPadded, int[] Taps)
    {
        public static Layout For(in Conv2dGeometry g)
        {
            var hp = g.InHeight + (2 * g.PadH);
            var wp = g.InWidth + (2 * g.PadW);
            var q = g.OutHeight * wp;
            var qPadded = (q + Lanes - 1) / Lanes * Lanes;
            var taps = new int[g.KernelH * g.KernelW];
            for (var ky = 0; ky < g.KernelH; ky++)
            {
                for (var kx = 0; kx < g.KernelW; kx++)
                {
                    taps[(ky * g.KernelW) + kx] = (g.DilationH * ky * wp) + (g.DilationW * kx);
                }
            }

            // Reads reach q + the largest tap for q < QPadded: keep that much (plus a vector) zeroed after every plane.
            var plane = Math.Max(hp * wp, qPadded + taps[^1]) + Lanes;
            return new Layout(hp, wp, plane, q, qPadded, taps);
        }
    }

    /// <summary>Copies one image into the zero-padded flat layout.</summary>
    private static void Pad(in Conv2dGeometry g, in Layout l, float[] x, int offset, float* dst)
    {
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = dst + ((long)c * l.PlaneStride);
            new Span<float>(plane, l.PlaneStride).Clear();
            var src = x.AsSpan(offset + (c * g.InPlane), g.InPlane);
            for (var iy = 0; iy < g.InHeight; iy++)
            {
                var row = src.Slice(iy * g.InWidth, g.InWidth);
                var to = new Span<float>(plane + (((iy + g.PadH) * l.Wp) + g.PadW), g.InWidth);
                if (g.ReluInput)
                {
                    Relu(row, to);
                }
                else
                {
                    row.CopyTo(to);
                }
            }
        }
    }

    /// <summary>dst = max(src, 0) with NaN kept (the ReLU kernel's rule), for inputs read with a fused ReLU.</summary>
    internal static void Relu(ReadOnlySpan<float> src, Span<float> dst)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Lanes <= src.Length; i += Lanes)
            {
                Vector512.Max(Vector512.Create(src.Slice(i, Lanes)), Vector512<float>.Zero).CopyTo(dst.Slice(i, Lanes));
            }
        }

        for (; i < src.Length; i++)
        {
            var v = src[i];
            dst[i] = float.IsNaN(v) ? v : (v > 0f ? v : 0f);
        }
    }

    private static void Run(in Conv2dGeometry g, float[] x, int xOffset, float[] packed, float[]? bias, int biasOffset, float[] y, int yOffset)
    {
        var geo = g;
        var layout = Layout.For(g);
        var blocks = (g.OutChannels + Block - 1) / Block;
        var qTiles = layout.QPadded / Lanes;
        var inSize = g.InChannels * g.InPlane;
        var outSize = g.OutChannels * g.OutPlane;

        if (g.Batch >= CpuParallel.ThreadCount || CpuParallel.InParallelRegion)
        {
            CpuParallel.ForRange(g.Batch, 1, (n0, n1) =>
            {
                var padded = CacheAlignment.Buffer(ref t_padded, geo.InChannels * layout.PlaneStride);
                var stage = CacheAlignment.Buffer(ref t_stage, Block * layout.QPadded);
                fixed (float* xp = padded, st = stage, wk = packed)
                {
                    for (var n = (int)n0; n < n1; n++)
                    {
                        Pad(geo, layout, x, xOffset + (n * inSize), xp);
                        for (var b = 0; b < blocks; b++)
                        {
                            Tiles(geo, layout, xp, wk, b, 0, qTiles, bias, biasOffset, st);
                            CopyOut(geo, layout, st, b, y, yOffset + (n * outSize));
                        }
                    }
                }
            });
            return;
        }

        // Fewer images than threads (batch-1 inference): pad once, split the (block, q-tile) work of each image.
        var shared = CacheAlignment.Buffer(ref t_padded, g.InChannels * layout.PlaneStride);
        var sharedStage = Storage.BufferPool.Rent(blocks * Block * layout.QPadded, out _);
        for (var n = 0; n < g.Batch; n++)
        {
            fixed (float* xp = shared)
            {
                Pad(g, layout, x, xOffset + (n * inSize), xp);
            }

            var work = blocks * qTiles;
            var chunks = CpuParallel.ChunkCount(work, Math.Max(1, 4096 / Math.Max(1, g.InChannels * g.KernelH * g.KernelW)));
            CpuParallel.For(chunks, chunk =>
            {
                var (s, e) = CpuParallel.ChunkBounds(work, chunks, chunk);
                fixed (float* xp = shared, st = sharedStage, wk = packed)
                {
                    for (var item = (int)s; item < e;)
                    {
                        var b = item / qTiles;
                        var t0 = item % qTiles;
                        var t1 = Math.Min(qTiles, t0 + (int)(e - item));
                        Tiles(geo, layout, xp, wk, b, t0, t1, bias, biasOffset, st + ((long)b * Block * layout.QPadded));
                        item += t1 - t0;
                    }
                }
            });

            fixed (float* st = sharedStage)
            {
                for (var b = 0; b < blocks; b++)
                {
                    CopyOut(g, layout, st + ((long)b * Block * layout.QPadded), b, y, yOffset + (n * outSize));
                }
            }
        }

        Storage.BufferPool.Return(sharedStage);
    }

    private static void Tiles(in Conv2dGeometry g, in Layout l, float* xp, float* packed, int block, int tile0, int tile1, float[]? bias, int biasOffset, float* stage)
    {
        var k = g.InChannels * l.Taps.Length;
        var wBlock = packed + ((long)block * k * Block);
        var biasVec = stackalloc float[Block];
        for (var j = 0; j < Block; j++)
        {
            var co = (block * Block) + j;
            biasVec[j] = bias is not null && co < g.OutChannels ? bias[biasOffset + co] : 0f;
        }

        fixed (int* taps = l.Taps)
        {
            for (var t = tile0; t < tile1; t++)
            {
                var q0 = t * Lanes;
                Tile16(xp + q0, l.PlaneStride, g.InChannels, taps, l.Taps.Length, wBlock, biasVec, stage + q0, l.QPadded);
            }
        }
    }

    /// <summary>16 output channels × 16 flat positions: acc[j] = bias[j] + Σ_ci Σ_t w[ci, t, j] · x[ci, q + tap[t]].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile16(float* x, int planeStride, int channels, int* taps, int tapCount, float* w, float* bias, float* dst, int dstStride)
    {
        var a0 = Vector512.Create(bias[0]);
        var a1 = Vector512.Create(bias[1]);
        var a2 = Vector512.Create(bias[2]);
        var a3 = Vector512.Create(bias[3]);
        var a4 = Vector512.Create(bias[4]);
        var a5 = Vector512.Create(bias[5]);
        var a6 = Vector512.Create(bias[6]);
        var a7 = Vector512.Create(bias[7]);
        var a8 = Vector512.Create(bias[8]);
        var a9 = Vector512.Create(bias[9]);
        var a10 = Vector512.Create(bias[10]);
        var a11 = Vector512.Create(bias[11]);
        var a12 = Vector512.Create(bias[12]);
        var a13 = Vector512.Create(bias[13]);
        var a14 = Vector512.Create(bias[14]);
        var a15 = Vector512.Create(bias[15]);
        for (var c = 0; c < channels; c++)
        {
            var plane = x + ((long)c * planeStride);
            for (var t = 0; t < tapCount; t++)
            {
                var v = Vector512.Load(plane + taps[t]);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(w[0]), v, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(w[1]), v, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(w[2]), v, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(w[3]), v, a3);
                a4 = Vector512.FusedMultiplyAdd(Vector512.Create(w[4]), v, a4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.Create(w[5]), v, a5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.Create(w[6]), v, a6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.Create(w[7]), v, a7);
                a8 = Vector512.FusedMultiplyAdd(Vector512.Create(w[8]), v, a8);
                a9 = Vector512.FusedMultiplyAdd(Vector512.Create(w[9]), v, a9);
                a10 = Vector512.FusedMultiplyAdd(Vector512.Create(w[10]), v, a10);
                a11 = Vector512.FusedMultiplyAdd(Vector512.Create(w[11]), v, a11);
                a12 = Vector512.FusedMultiplyAdd(Vector512.Create(w[12]), v, a12);
                a13 = Vector512.FusedMultiplyAdd(Vector512.Create(w[13]), v, a13);
                a14 = Vector512.FusedMultiplyAdd(Vector512.Create(w[14]), v, a14);
                a15 = Vector512.FusedMultiplyAdd(Vector512.Create(w[15]), v, a15);
                w += Block;
            }
        }

        a0.Store(dst);
        a1.Store(dst + dstStride);
        a2.Store(dst + (2 * dstStride));
        a3.Store(dst + (3 * dstStride));
        a4.Store(dst + (4 * dstStride));
        a5.Store(dst + (5 * dstStride));
        a6.Store(dst + (6 * dstStride));
        a7.Store(dst + (7 * dstStride));
        a8.Store(dst + (8 * dstStride));
        a9.Store(dst + (9 * dstStride));
        a10.Store(dst + (10 * dstStride));
        a11.Store(dst + (11 * dstStride));
        a12.Store(dst + (12 * dstStride));
        a13.Store(dst + (13 * dstStride));
        a14.Store(dst + (14 * dstStride));
        a15.Store(dst + (15 * dstStride));
    }

    /// <summary>Copies the valid columns of a block's staged flat rows into the NCHW output.</summary>
    private static void CopyOut(in Conv2dGeometry g, in Layout l, float* stage, int block, float[] y, int offset)
    {
        var count = Math.Min(Block, g.OutChannels - (block * Block));
        for (var j = 0; j < count; j++)
        {
            var co = (block * Block) + j;
            var src = stage + ((long)j * l.QPadded);
            var dst = y.AsSpan(offset + (co * g.OutPlane), g.OutPlane);
            for (var oy = 0; oy < g.OutHeight; oy++)
            {
                new ReadOnlySpan<float>(src + (oy * l.Wp), g.OutWidth).CopyTo(dst.Slice(oy * g.OutWidth, g.OutWidth));
            }
        }
    }

    /// <summary>
    /// Computes dW[co, ci, ky, kx] = Σ_n Σ_(oy, ox) dY[n, co, oy, ox] · Xpad[n, ci, oy + d·ky, ox + d·kx] (overwriting dW) and, when
    /// given, db[co] = Σ dY. Images are split across threads; per-thread partial sums are added in thread order.
    /// </summary>
    public static void BackwardWeight(in Conv2dGeometry g, float[] dy, int dyOffset, float[] x, int xOffset, float[] dw, int dwOffset, float[]? db, int dbOffset)
    {
        var geo = g;
        var layout = Layout.For(g);
        var k = g.InChannels * layout.Taps.Length;
        var chunks = CpuParallel.InParallelRegion ? 1 : Math.Min(CpuParallel.ThreadCount, g.Batch);
        var partials = new float[chunks][];
        var biasPartials = new double[chunks][];
        var inSize = g.InChannels * g.InPlane;
        var outSize = g.OutChannels * g.OutPlane;

        // A group of images is laid end to end, each image's padded plane (and its expanded gradient, zero past the last
        // output row) taking `segment` floats. One long row per channel then serves the whole group: a tap read that runs past
        // an image's rows meets the next image's data, but only where the gradient is zero. So each dW tile is one flat dot
        // product over the group, with a single horizontal reduction at the end. The 4 gradient rows of a tile are re-read by
        // every tile of the same output channels, so a group's row (span · segment floats) is kept near 1024 floats (L1).
        var segment = layout.PlaneStride - Lanes; // ≥ QPadded + largest tap
        var span0 = Math.Clamp(1024 / segment, 1, 16);
        var tail = layout.Taps[^1] + (2 * Lanes);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Chunk(int chunk)
        {
            var (n0, n1) = CpuParallel.ChunkBounds(geo.Batch, chunks, chunk);
            var partial = Storage.BufferPool.RentCleared(geo.OutChannels * k);
            var biasPartial = db is null ? null : new double[geo.OutChannels];
            var span = Math.Min(span0, (int)(n1 - n0));
            var row = (span * segment) + tail;
            var padded = CacheAlignment.Buffer(ref t_padded, geo.InChannels * row);
            var expanded = CacheAlignment.Buffer(ref t_stage, (geo.OutChannels + 1) * row);
            var partialSums = stackalloc float[16 * Lanes];
            fixed (float* xp = padded, gp = expanded, acc = partial)
            fixed (int* taps = layout.Taps)
            {
                var zero = gp + ((long)geo.OutChannels * row);
                new Span<float>(zero, row).Clear();
                for (var first = (int)n0; first < n1; first += span)
                {
                    var count = Math.Min(span, (int)(n1 - first));
                    new Span<float>(xp, geo.InChannels * row).Clear();
                    new Span<float>(gp, geo.OutChannels * row).Clear();
                    for (var i = 0; i < count; i++)
                    {
                        PadInto(geo, layout, x, xOffset + ((first + i) * inSize), xp + ((long)i * segment), row);
                        ExpandInto(geo, layout, dy, dyOffset + ((first + i) * outSize), gp + ((long)i * segment), row, biasPartial);
                    }

                    var length = count * segment;
                    for (var co0 = 0; co0 < geo.OutChannels; co0 += 4)
                    {
                        for (var k0 = 0; k0 < k; k0 += 4)
                        {
                            new Span<float>(partialSums, 16 * Lanes).Clear();
                            DotTile4x4(
                                co0 < geo.OutChannels ? gp + ((long)co0 * row) : zero,
                                co0 + 1 < geo.OutChannels ? gp + ((long)(co0 + 1) * row) : zero,
                                co0 + 2 < geo.OutChannels ? gp + ((long)(co0 + 2) * row) : zero,
                                co0 + 3 < geo.OutChannels ? gp + ((long)(co0 + 3) * row) : zero,
                                TapRow(xp, zero, taps, layout.Taps.Length, row, k0, k),
                                TapRow(xp, zero, taps, layout.Taps.Length, row, k0 + 1, k),
                                TapRow(xp, zero, taps, layout.Taps.Length, row, k0 + 2, k),
                                TapRow(xp, zero, taps, layout.Taps.Length, row, k0 + 3, k),
                                (length + Lanes - 1) / Lanes * Lanes,
                                partialSums);
                            for (var i = 0; i < 4 && co0 + i < geo.OutChannels; i++)
                            {
                                for (var j = 0; j < 4 && k0 + j < k; j++)
                                {
                                    acc[((long)(co0 + i) * k) + k0 + j] += Vector512.Sum(Vector512.Load(partialSums + (((i * 4) + j) * Lanes)));
                                }
                            }
                        }
                    }
                }
            }

            partials[chunk] = partial;
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

        var target = dw.AsSpan(dwOffset, g.OutChannels * k);
        partials[0].AsSpan(0, target.Length).CopyTo(target);
        for (var c = 1; c < chunks; c++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(target, partials[c].AsSpan(0, target.Length), target);
        }

        foreach (var p in partials)
        {
            Storage.BufferPool.Return(p);
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

    private static float* TapRow(float* xp, float* zero, int* taps, int tapCount, int row, int kk, int k) =>
        kk < k ? xp + ((long)(kk / tapCount) * row) + taps[kk % tapCount] : zero;

    /// <summary>Writes one image's zero-padded planes into channel rows of stride <paramref name="row"/> (already cleared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PadInto(in Conv2dGeometry g, in Layout l, float[] x, int offset, float* dst, int row)
    {
        for (var c = 0; c < g.InChannels; c++)
        {
            var plane = dst + ((long)c * row);
            var src = x.AsSpan(offset + (c * g.InPlane), g.InPlane);
            for (var iy = 0; iy < g.InHeight; iy++)
            {
                src.Slice(iy * g.InWidth, g.InWidth).CopyTo(new Span<float>(plane + (((iy + g.PadH) * l.Wp) + g.PadW), g.InWidth));
            }
        }
    }

    /// <summary>Writes one image's dY in the flat padded-width layout into channel rows of stride <paramref name="row"/> (already cleared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpandInto(in Conv2dGeometry g, in Layout l, float[] dy, int offset, float* dst, int row, double[]? biasPartial)
    {
        for (var co = 0; co < g.OutChannels; co++)
        {
            var target = dst + ((long)co * row);
            var src = dy.AsSpan(offset + (co * g.OutPlane), g.OutPlane);
            for (var oy = 0; oy < g.OutHeight; oy++)
            {
                src.Slice(oy * g.OutWidth, g.OutWidth).CopyTo(new Span<float>(target + (oy * l.Wp), g.OutWidth));
            }

            if (biasPartial is not null)
            {
                biasPartial[co] += CpuBackend.SumPreciseDouble(src);
            }
        }
    }

    /// <summary>
    /// partial[i·4 + j] += Σ_q a_i[q]·b_j[q] (as 16 lane-wise partial-sum vectors) over <paramref name="length"/> (a multiple of 16).
    /// Kept flat and small so that the JIT holds all 16 accumulators in zmm registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DotTile4x4(float* a0, float* a1, float* a2, float* a3, float* b0, float* b1, float* b2, float* b3, int length, float* partial)
    {
        var s00 = Vector512.Load(partial);
        var s01 = Vector512.Load(partial + 16);
        var s02 = Vector512.Load(partial + 32);
        var s03 = Vector512.Load(partial + 48);
        var s10 = Vector512.Load(partial + 64);
        var s11 = Vector512.Load(partial + 80);
        var s12 = Vector512.Load(partial + 96);
        var s13 = Vector512.Load(partial + 112);
        var s20 = Vector512.Load(partial + 128);
        var s21 = Vector512.Load(partial + 144);
        var s22 = Vector512.Load(partial + 160);
        var s23 = Vector512.Load(partial + 176);
        var s30 = Vector512.Load(partial + 192);
        var s31 = Vector512.Load(partial + 208);
        var s32 = Vector512.Load(partial + 224);
        var s33 = Vector512.Load(partial + 240);
        for (var q = 0; q < length; q += Lanes)
        {
            var v0 = Vector512.Load(b0 + q);
            var v1 = Vector512.Load(b1 + q);
            var v2 = Vector512.Load(b2 + q);
            var v3 = Vector512.Load(b3 + q);
            var d = Vector512.Load(a0 + q);
            s00 = Vector512.FusedMultiplyAdd(d, v0, s00);
            s01 = Vector512.FusedMultiplyAdd(d, v1, s01);
            s02 = Vector512.FusedMultiplyAdd(d, v2, s02);
            s03 = Vector512.FusedMultiplyAdd(d, v3, s03);
            d = Vector512.Load(a1 + q);
            s10 = Vector512.FusedMultiplyAdd(d, v0, s10);
            s11 = Vector512.FusedMultiplyAdd(d, v1, s11);
            s12 = Vector512.FusedMultiplyAdd(d, v2, s12);
            s13 = Vector512.FusedMultiplyAdd(d, v3, s13);
            d = Vector512.Load(a2 + q);
            s20 = Vector512.FusedMultiplyAdd(d, v0, s20);
            s21 = Vector512.FusedMultiplyAdd(d, v1, s21);
            s22 = Vector512.FusedMultiplyAdd(d, v2, s22);
            s23 = Vector512.FusedMultiplyAdd(d, v3, s23);
            d = Vector512.Load(a3 + q);
            s30 = Vector512.FusedMultiplyAdd(d, v0, s30);
            s31 = Vector512.FusedMultiplyAdd(d, v1, s31);
            s32 = Vector512.FusedMultiplyAdd(d, v2, s32);
            s33 = Vector512.FusedMultiplyAdd(d, v3, s33);
        }

        s00.Store(partial);
        s01.Store(partial + 16);
        s02.Store(partial + 32);
        s03.Store(partial + 48);
        s10.Store(partial + 64);
        s11.Store(partial + 80);
        s12.Store(partial + 96);
        s13.Store(partial + 112);
        s20.Store(partial + 128);
        s21.Store(partial + 144);
        s22.Store(partial + 160);
        s23.Store(partial + 176);
        s30.Store(partial + 192);
        s31.Store(partial + 208);
        s32.Store(partial + 224);
        s33.Store(partial + 240);
    }

    /// <summary>Forward weights packed for one (offset, version, shape) of a weight storage.</summary>
    private sealed record PackedWeights(int Offset, int Version, int Channels, int Rows, float[] Packed)
    {
        public bool Matches(int offset, int version, int channels, int rows) =>
            Offset == offset && Version == version && Channels == channels && Rows == rows;
    }
}
