using NasKit.Tensors.Internal.Storage;
using System.Numerics.Tensors;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    [ThreadStatic]
    private static float[]? t_columns;

    /// <summary>Gets or sets the convolution algorithm; tests force each one to compare them (the default picks per geometry).</summary>
    /// <remarks>The NASKIT_CONV_ALGORITHM environment variable (auto, autof2, winograd, winograd4, direct, im2col) sets the initial value, for diagnosis and A/B measurements.</remarks>
    internal static ConvolutionAlgorithm Algorithm { get; set; } =
        Enum.TryParse<ConvolutionAlgorithm>(Environment.GetEnvironmentVariable("NASKIT_CONV_ALGORITHM"), ignoreCase: true, out var a) ? a : ConvolutionAlgorithm.Auto;

    private static bool UseWinograd4(in Conv2dGeometry g) => Algorithm switch
    {
        ConvolutionAlgorithm.Winograd4 => Winograd4Convolution.CanUse(g),
        ConvolutionAlgorithm.Auto => Winograd4Convolution.Pays(g),
        _ => false,
    };

    private static bool UseWinograd(in Conv2dGeometry g) =>
        Algorithm is ConvolutionAlgorithm.Winograd or ConvolutionAlgorithm.Winograd4 or ConvolutionAlgorithm.Auto or ConvolutionAlgorithm.AutoF2
        && WinogradConvolution.CanUse(g);

    private static bool UseWinograd4ForWeightGradient(in Conv2dGeometry g) => Algorithm switch
    {
        ConvolutionAlgorithm.Winograd4 => Winograd4Convolution.CanUse(g),
        ConvolutionAlgorithm.Auto => Winograd4Convolution.PaysForWeightGradient(g),
        _ => false,
    };

    private static bool UseWinogradForWeightGradient(in Conv2dGeometry g) => Algorithm switch
    {
        ConvolutionAlgorithm.Winograd or ConvolutionAlgorithm.Winograd4 => WinogradConvolution.CanUse(g),
        ConvolutionAlgorithm.Auto or ConvolutionAlgorithm.AutoF2 => WinogradConvolution.PaysForWeightGradient(g),
        _ => false,
    };

    private static bool UseDirect(in Conv2dGeometry g, bool backwardInput)
    {
        var supported = backwardInput ? DirectConvolution.CanUseBackwardInput(g) : DirectConvolution.CanUse(g);
        return supported && Algorithm != ConvolutionAlgorithm.Im2Col;
    }

    /// <summary>
    /// Gets whether the forward pass takes the direct kernels. Pointwise (1×1, stride 1, unpadded) layers take the GEMM instead
    /// unless <see cref="ConvolutionAlgorithm.Direct"/> is forced: measured forward, 2 threads, best of 400 calls, direct → GEMM,
    /// batch 1: 16 channels 32×32 33 → 8 µs, 32 channels 16×16 52 → 7 µs, 64 channels 8×8 32 → 6 µs, 128 channels 14×14 167 → 40 µs;
    /// batch 8: 47 → 37, 48 → 26, 37 → 25, 359 → 315 µs; batch 64: 493 → 289, 379 → 215, 325 → 199 µs, but 128 channels 14×14
    /// 2.9–3.2 ms direct against 3.1–3.6 ms GEMM (three pairs; direct slightly ahead, within the noise, at this one shape).
    /// </summary>
    private static bool UseDirectForward(in Conv2dGeometry g) =>
        !g.IsDepthwise && UseDirect(g, backwardInput: false) && !(g.IsPointwise && Algorithm != ConvolutionAlgorithm.Direct);

    private static float[] Columns(int length)
    {
        var buffer = t_columns;
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<float>(Math.Max(length, 1024));
            t_columns = buffer;
        }

        return buffer;
    }

    /// <summary>Copies max(x, 0) into a pooled buffer, for kernels that cannot apply a fused input ReLU themselves; the caller returns it.</summary>
    private static (float[] X, int Offset, Conv2dGeometry Geometry, float[] Buffer) Rectified(in Conv2dGeometry g, float[] x, int xo)
    {
        var length = g.Batch * g.InChannels * g.InPlane;
        var rectified = Storage.BufferPool.Rent(length, out _);
        CpuParallel.ForRange(length, 1 << 14, (s, e) => DirectConvolution.Relu(x.AsSpan(xo + (int)s, (int)(e - s)), rectified.AsSpan((int)s, (int)(e - s))));
        return (rectified, 0, g with { ReluInput = false }, rectified);
    }

    public void Conv2dForward(in Conv2dGeometry g, Tensor input, Tensor weight, Tensor? bias, Tensor output)
    {
        var geo = g;
        var x = input.Storage.Data;
        var w = weight.Storage.Data;
        var b = bias?.Storage.Data;
        var y = output.Storage.Data;
        int xo = input.Offset, wo = weight.Offset, bo = bias?.Offset ?? 0, yo = output.Offset;

        // A fused input ReLU is applied as the Winograd and direct kernels copy the input into their padded buffers; the other
        // paths read a rectified copy.
        float[]? rectified = null;
        if (geo.ReluInput && !(UseWinograd4(geo) || UseWinograd(geo) || UseDirectForward(geo)))
        {
            (x, xo, geo, rectified) = Rectified(geo, x, xo);
        }

        // Stable weights may keep a packed layout between calls (checked against the storage's version); weights being trained
        // change every step and are packed for each call.
        var weightKey = geo.StableWeights ? weight.Storage : null;
        try
        {
            Conv2dForwardCore(geo, x, xo, w, wo, b, bo, y, yo, weightKey, weight.Version);
        }
        finally
        {
            if (rectified is not null)
            {
                Storage.BufferPool.Return(rectified);
            }
        }
    }

    private static void Conv2dForwardCore(in Conv2dGeometry g, float[] x, int xo, float[] w, int wo, float[]? b, int bo, float[] y, int yo, object? weightKey = null, int weightVersion = 0)
    {
        var geo = g;
        if (UseWinograd4(geo))
        {
            Winograd4Convolution.Forward(geo, x, xo, w, wo, b, bo, y, yo);
            return;
        }

        if (UseWinograd(geo))
        {
            WinogradConvolution.Forward(geo, x, xo, w, wo, b, bo, y, yo);
            return;
        }

        if (UseDirectForward(geo))
        {
            DirectConvolution.Forward(geo, x, xo, w, wo, b, bo, y, yo, weightKey, weightVersion);
            return;
        }

        if (geo.IsDepthwise)
        {
            CpuParallel.ForRange((long)geo.Batch * geo.OutChannels, 1, (p0, p1) =>
            {
                for (var pl = (int)p0; pl < p1; pl++)
                {
                    var c = pl % geo.OutChannels;
                    DepthwiseForwardPlane(geo, x, xo + (pl * geo.InPlane), w, wo + (c * geo.KernelH * geo.KernelW), b is null ? 0f : b[bo + c], y, yo + (pl * geo.OutPlane));
                }
            });
            return;
        }

        void Image(int n)
        {
            for (var grp = 0; grp < geo.Groups; grp++)
            {
                var xOff = xo + (((n * geo.InChannels) + (grp * geo.InChannelsPerGroup)) * geo.InPlane);
                var yOff = yo + (((n * geo.OutChannels) + (grp * geo.OutChannelsPerGroup)) * geo.OutPlane);
                var wOff = wo + (grp * geo.OutChannelsPerGroup * geo.ColumnRows);
                float[] colData;
                int colOff;
                if (geo.IsPointwise)
                {
                    colData = x;
                    colOff = xOff;
                }
                else
                {
                    colData = Columns(geo.ColumnRows * geo.OutPlane);
                    colOff = 0;
                    Im2Col.Unfold(geo, geo.InChannelsPerGroup, x, xOff, colData, 0);
                }

                Sgemm.Compute(false, false, geo.OutChannelsPerGroup, geo.OutPlane, geo.ColumnRows, 1f,
                    w, wOff, geo.ColumnRows, colData, colOff, geo.OutPlane, 0f, y, yOff, geo.OutPlane);

                if (b is not null)
                {
                    for (var oc = 0; oc < geo.OutChannelsPerGroup; oc++)
                    {
                        var row = y.AsSpan(yOff + (oc * geo.OutPlane), geo.OutPlane);
                        TensorPrimitives.Add(row, b[bo + (grp * geo.OutChannelsPerGroup) + oc], row);
                    }
                }
            }
        }

        if (geo.Batch == 1)
        {
            Image(0);
            return;
        }

        CpuParallel.ForRange(geo.Batch, 1, (n0, n1) =>
        {
            for (var n = (int)n0; n < n1; n++)
            {
                Image(n);
            }
        });
    }

    public void Conv2dBackwardInput(in Conv2dGeometry g, Tensor gradOutput, Tensor weight, Tensor gradInput, Tensor? input = null)
    {
        if (g.ReluInput)
        {
            ArgumentNullException.ThrowIfNull(input); // the gradient through a fused input ReLU is gated by the convolution's input
        }

        var geo = g with { ReluInput = false };
        var dy = gradOutput.Storage.Data;
        var w = weight.Storage.Data;
        var dx = gradInput.Storage.Data;
        int dyo = gradOutput.Offset, wo = weight.Offset, dxo = gradInput.Offset;
        var gate = g.ReluInput ? input!.Storage.Data : null;
        var gateOffset = g.ReluInput ? input!.Offset : 0;

        // The Winograd kernels keep the gradient where the input is positive as they write it; the others are followed by a pass.
        if (UseWinograd4(geo))
        {
            Winograd4Convolution.BackwardInput(geo, dy, dyo, w, wo, dx, dxo, gate, gateOffset);
            return;
        }

        if (UseWinograd(geo))
        {
            WinogradConvolution.BackwardInput(geo, dy, dyo, w, wo, dx, dxo, gate, gateOffset);
            return;
        }

        Conv2dBackwardInputCore(geo, dy, dyo, w, wo, dx, dxo);
        if (g.ReluInput)
        {
            UnaryBackward(UnaryOp.Relu, gradInput, input!, gradInput, 0f, 0f);
        }
    }

    private static void Conv2dBackwardInputCore(in Conv2dGeometry g, float[] dy, int dyo, float[] w, int wo, float[] dx, int dxo)
    {
        var geo = g;

        if (!geo.IsDepthwise && UseDirect(geo, backwardInput: true))
        {
            DirectConvolution.BackwardInput(geo, dy, dyo, w, wo, dx, dxo);
            return;
        }

        if (geo.IsDepthwise)
        {
            CpuParallel.ForRange((long)geo.Batch * geo.OutChannels, 1, (p0, p1) =>
            {
                for (var pl = (int)p0; pl < p1; pl++)
                {
                    var c = pl % geo.OutChannels;
                    var dxPlane = dx.AsSpan(dxo + (pl * geo.InPlane), geo.InPlane);
                    dxPlane.Clear();
                    DepthwiseBackwardInputPlane(geo, dy, dyo + (pl * geo.OutPlane), w, wo + (c * geo.KernelH * geo.KernelW), dx, dxo + (pl * geo.InPlane));
                }
            });
            return;
        }

        void Image(int n)
        {
            for (var grp = 0; grp < geo.Groups; grp++)
            {
                var dxOff = dxo + (((n * geo.InChannels) + (grp * geo.InChannelsPerGroup)) * geo.InPlane);
                var dyOff = dyo + (((n * geo.OutChannels) + (grp * geo.OutChannelsPerGroup)) * geo.OutPlane);
                var wOff = wo + (grp * geo.OutChannelsPerGroup * geo.ColumnRows);
                if (geo.IsPointwise)
                {
                    // dx_g [Cin/g, P] = W_gᵀ [Cin/g, Cout/g] · dy_g [Cout/g, P]
                    Sgemm.Compute(true, false, geo.ColumnRows, geo.OutPlane, geo.OutChannelsPerGroup, 1f,
                        w, wOff, geo.ColumnRows, dy, dyOff, geo.OutPlane, 0f, dx, dxOff, geo.OutPlane);
                    continue;
                }

                var col = Columns(geo.ColumnRows * geo.OutPlane);
                Sgemm.Compute(true, false, geo.ColumnRows, geo.OutPlane, geo.OutChannelsPerGroup, 1f,
                    w, wOff, geo.ColumnRows, dy, dyOff, geo.OutPlane, 0f, col, 0, geo.OutPlane);
                dx.AsSpan(dxOff, geo.InChannelsPerGroup * geo.InPlane).Clear();
                Im2Col.Fold(geo, geo.InChannelsPerGroup, col, 0, dx, dxOff);
            }
        }

        if (geo.Batch == 1)
        {
            Image(0);
            return;
        }

        CpuParallel.ForRange(geo.Batch, 1, (n0, n1) =>
        {
            for (var n = (int)n0; n < n1; n++)
            {
                Image(n);
            }
        });
    }

    public void Conv2dBackwardWeight(in Conv2dGeometry g, Tensor gradOutput, Tensor input, Tensor gradWeight, Tensor? gradBias)
    {
        var geo = g;
        var dy = gradOutput.Storage.Data;
        var x = input.Storage.Data;
        var dw = gradWeight.Storage.Data;
        var db = gradBias?.Storage.Data;
        int dyo = gradOutput.Offset, xo = input.Offset, dwo = gradWeight.Offset, dbo = gradBias?.Offset ?? 0;
        var wLen = gradWeight.NumberOfElements;
        if (geo.Batch == 0)
        {
            // An empty batch contributes nothing; both kernels below assume at least one image (one chunk).
            dw.AsSpan(dwo, wLen).Clear();
            db?.AsSpan(dbo, geo.OutChannels).Clear();
            return;
        }

        if (UseWinograd4ForWeightGradient(geo))
        {
            Winograd4Convolution.BackwardWeight(geo, dy, dyo, x, xo, dw, dwo, db, dbo);
            return;
        }

        if (UseWinogradForWeightGradient(geo))
        {
            WinogradConvolution.BackwardWeight(geo, dy, dyo, x, xo, dw, dwo, db, dbo);
            return;
        }

        // The Winograd kernels above apply a fused input ReLU as they pad the input; the direct and im2col kernels read a rectified copy.
        if (geo.ReluInput)
        {
            var (rx, rxo, rgeo, buffer) = Rectified(geo, x, xo);
            try
            {
                Conv2dBackwardWeightCore(rgeo, dy, dyo, rx, rxo, dw, dwo, db, dbo);
            }
            finally
            {
                Storage.BufferPool.Return(buffer);
            }

            return;
        }

        Conv2dBackwardWeightCore(geo, dy, dyo, x, xo, dw, dwo, db, dbo);
    }

    private static void Conv2dBackwardWeightCore(in Conv2dGeometry g, float[] dy, int dyo, float[] x, int xo, float[] dw, int dwo, float[]? db, int dbo)
    {
        var geo = g;
        var wLen = geo.OutChannels * geo.ColumnRows;

        if (!geo.IsDepthwise && UseDirect(geo, backwardInput: false))
        {
            DirectConvolution.BackwardWeight(geo, dy, dyo, x, xo, dw, dwo, db, dbo);
            return;
        }

        var chunks = geo.Batch == 1 ? 1 : CpuParallel.ChunkCount(geo.Batch, 1);

        // Each chunk of images accumulates into its own partial gradient; partials are summed in chunk order, so the
        // result depends on the thread count but not on scheduling.
        var partialW = new float[chunks][];
        var partialB = new double[chunks][];
        void Chunk(int chunk)
        {
            var (n0, n1) = CpuParallel.ChunkBounds(geo.Batch, chunks, chunk);
            var pw = chunk == 0 ? null : BufferPool.RentCleared(wLen);
            var targetW = pw ?? dw;
            var targetOff = pw is null ? dwo : 0;
            targetW.AsSpan(targetOff, wLen).Clear();
            var pb = db is null ? null : new double[geo.OutChannels];
            for (var n = (int)n0; n < n1; n++)
            {
                if (geo.IsDepthwise)
                {
                    for (var c = 0; c < geo.OutChannels; c++)
                    {
                        DepthwiseBackwardWeightPlane(geo, dy, dyo + (((n * geo.OutChannels) + c) * geo.OutPlane),
                            x, xo + (((n * geo.InChannels) + c) * geo.InPlane), targetW, targetOff + (c * geo.KernelH * geo.KernelW));
                    }
                }
                else
                {
                    for (var grp = 0; grp < geo.Groups; grp++)
                    {
                        var xOff = xo + (((n * geo.InChannels) + (grp * geo.InChannelsPerGroup)) * geo.InPlane);
                        var dyOff = dyo + (((n * geo.OutChannels) + (grp * geo.OutChannelsPerGroup)) * geo.OutPlane);
                        float[] colData;
                        int colOff;
                        if (geo.IsPointwise)
                        {
                            colData = x;
                            colOff = xOff;
                        }
                        else
                        {
                            colData = Columns(geo.ColumnRows * geo.OutPlane);
                            colOff = 0;
                            Im2Col.Unfold(geo, geo.InChannelsPerGroup, x, xOff, colData, 0);
                        }

                        // dW_g [Cout/g, rows] += dy_g [Cout/g, P] · col_gᵀ [P, rows]
                        Sgemm.Compute(false, true, geo.OutChannelsPerGroup, geo.ColumnRows, geo.OutPlane, 1f,
                            dy, dyOff, geo.OutPlane, colData, colOff, geo.OutPlane, 1f,
                            targetW, targetOff + (grp * geo.OutChannelsPerGroup * geo.ColumnRows), geo.ColumnRows);
                    }
                }

                if (pb is not null)
                {
                    for (var c = 0; c < geo.OutChannels; c++)
                    {
                        pb[c] += SumPreciseDouble(dy.AsSpan(dyo + (((n * geo.OutChannels) + c) * geo.OutPlane), geo.OutPlane));
                    }
                }
            }

            partialW[chunk] = pw!;
            partialB[chunk] = pb!;
        }

        if (chunks == 1)
        {
            Chunk(0); // one chunk: let the GEMMs inside use every thread
        }
        else
        {
            CpuParallel.For(chunks, Chunk);
        }

        var dwSpan = dw.AsSpan(dwo, wLen);
        for (var chunk = 1; chunk < chunks; chunk++)
        {
            TensorPrimitives.Add(dwSpan, partialW[chunk].AsSpan(0, wLen), dwSpan);
            BufferPool.Return(partialW[chunk]);
        }

        if (db is not null)
        {
            for (var c = 0; c < geo.OutChannels; c++)
            {
                double s = 0;
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    s += partialB[chunk][c];
                }

                db[dbo + c] = (float)s;
            }
        }
    }

    private static void DepthwiseForwardPlane(in Conv2dGeometry g, float[] x, int xOff, float[] w, int wOff, float bias, float[] y, int yOff)
    {
        y.AsSpan(yOff, g.OutPlane).Fill(bias);
        for (var ky = 0; ky < g.KernelH; ky++)
        {
            for (var kx = 0; kx < g.KernelW; kx++)
            {
                var wv = w[wOff + (ky * g.KernelW) + kx];
                var xShift = (kx * g.DilationW) - g.PadW;
                var oxStart = xShift >= 0 ? 0 : (-xShift + g.StrideW - 1) / g.StrideW;
                var oxEnd = g.InWidth - xShift <= 0 ? 0 : Math.Min(g.OutWidth, ((g.InWidth - xShift - 1) / g.StrideW) + 1);
                if (oxEnd <= oxStart)
                {
                    continue;
                }

                for (var oy = 0; oy < g.OutHeight; oy++)
                {
                    var iy = (oy * g.StrideH) - g.PadH + (ky * g.DilationH);
                    if ((uint)iy >= (uint)g.InHeight)
                    {
                        continue;
                    }

                    var src = xOff + (iy * g.InWidth) + xShift;
                    var dst = yOff + (oy * g.OutWidth);
                    if (g.StrideW == 1)
                    {
                        var n = oxEnd - oxStart;
                        var d = y.AsSpan(dst + oxStart, n);
                        TensorPrimitives.MultiplyAdd(x.AsSpan(src + oxStart, n), wv, d, d);
                    }
                    else
                    {
                        for (var ox = oxStart; ox < oxEnd; ox++)
                        {
                            y[dst + ox] += wv * x[src + (ox * g.StrideW)];
                        }
                    }
                }
            }
        }
    }

    private static void DepthwiseBackwardInputPlane(in Conv2dGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff)
    {
        for (var ky = 0; ky < g.KernelH; ky++)
        {
            for (var kx = 0; kx < g.KernelW; kx++)
            {
                var wv = w[wOff + (ky * g.KernelW) + kx];
                var xShift = (kx * g.DilationW) - g.PadW;
                var oxStart = xShift >= 0 ? 0 : (-xShift + g.StrideW - 1) / g.StrideW;
                var oxEnd = g.InWidth - xShift <= 0 ? 0 : Math.Min(g.OutWidth, ((g.InWidth - xShift - 1) / g.StrideW) + 1);
                if (oxEnd <= oxStart)
                {
                    continue;
                }

                for (var oy = 0; oy < g.OutHeight; oy++)
                {
                    var iy = (oy * g.StrideH) - g.PadH + (ky * g.DilationH);
                    if ((uint)iy >= (uint)g.InHeight)
                    {
                        continue;
                    }

                    var dst = dxOff + (iy * g.InWidth) + xShift;
                    var src = dyOff + (oy * g.OutWidth);
                    if (g.StrideW == 1)
                    {
                        var n = oxEnd - oxStart;
                        var d = dx.AsSpan(dst + oxStart, n);
                        TensorPrimitives.MultiplyAdd(dy.AsSpan(src + oxStart, n), wv, d, d);
                    }
                    else
                    {
                        for (var ox = oxStart; ox < oxEnd; ox++)
                        {
                            dx[dst + (ox * g.StrideW)] += wv * dy[src + ox];
                        }
                    }
                }
            }
        }
    }

    private static void DepthwiseBackwardWeightPlane(in Conv2dGeometry g, float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff)
    {
        for (var ky = 0; ky < g.KernelH; ky++)
        {
            for (var kx = 0; kx < g.KernelW; kx++)
            {
                var xShift = (kx * g.DilationW) - g.PadW;
                var oxStart = xShift >= 0 ? 0 : (-xShift + g.StrideW - 1) / g.StrideW;
                var oxEnd = g.InWidth - xShift <= 0 ? 0 : Math.Min(g.OutWidth, ((g.InWidth - xShift - 1) / g.StrideW) + 1);
                if (oxEnd <= oxStart)
                {
                    continue;
                }

                double acc = 0;
                for (var oy = 0; oy < g.OutHeight; oy++)
                {
                    var iy = (oy * g.StrideH) - g.PadH + (ky * g.DilationH);
                    if ((uint)iy >= (uint)g.InHeight)
                    {
                        continue;
                    }

                    var src = xOff + (iy * g.InWidth) + xShift;
                    var gRow = dyOff + (oy * g.OutWidth);
                    if (g.StrideW == 1)
                    {
                        var n = oxEnd - oxStart;
                        acc += TensorPrimitives.Dot(dy.AsSpan(gRow + oxStart, n), x.AsSpan(src + oxStart, n));
                    }
                    else
                    {
                        for (var ox = oxStart; ox < oxEnd; ox++)
                        {
                            acc += dy[gRow + ox] * x[src + (ox * g.StrideW)];
                        }
                    }
                }

                dw[dwOff + (ky * g.KernelW) + kx] += (float)acc;
            }
        }
    }
}
