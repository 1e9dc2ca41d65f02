using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void MaxPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, Tensor indexTensor)
    {
        var indices = indexTensor.Storage.Data;
        var io = indexTensor.Offset;
        var geo = g;
        var x = input.Storage.Data;
        var y = output.Storage.Data;
        int xo = input.Offset, yo = output.Offset;
        int inPlane = geo.InHeight * geo.InWidth, outPlane = geo.OutHeight * geo.OutWidth;
        var twoByTwo = IsMaxPool2x2(geo);
        if (twoByTwo && UseVectorMaxPool)
        {
            CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
            {
                unsafe
                {
                    fixed (float* xp = x, yp = y, ip = indices)
                    {
                        for (var pl = p0; pl < p1; pl++)
                        {
                            MaxPool2x2Kernel.Forward(
                                xp + xo + (pl * inPlane), geo.InWidth, yp + yo + (pl * outPlane), ip + io + (pl * outPlane), geo.OutHeight, geo.OutWidth);
                        }
                    }
                }
            });
            return;
        }

        CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
        {
            for (var pl = (int)p0; pl < p1; pl++)
            {
                var xPlane = xo + (pl * inPlane);
                var yPlane = pl * outPlane;
                if (twoByTwo)
                {
                    MaxPool2x2Plane(geo, x, xPlane, y, yo + yPlane, indices, io + yPlane);
                    continue;
                }

                for (var oy = 0; oy < geo.OutHeight; oy++)
                {
                    var yStart = (oy * geo.StrideH) - geo.PadH;
                    for (var ox = 0; ox < geo.OutWidth; ox++)
                    {
                        var xStart = (ox * geo.StrideW) - geo.PadW;
                        var best = float.NegativeInfinity;
                        var bestIdx = -1;
                        for (var ky = 0; ky < geo.KernelH; ky++)
                        {
                            var iy = yStart + (ky * geo.DilationH);
                            if ((uint)iy >= (uint)geo.InHeight)
                            {
                                continue;
                            }

                            for (var kx = 0; kx < geo.KernelW; kx++)
                            {
                                var ix = xStart + (kx * geo.DilationW);
                                if ((uint)ix >= (uint)geo.InWidth)
                                {
                                    continue;
                                }

                                var idx = (iy * geo.InWidth) + ix;
                                var v = x[xPlane + idx];
                                if (bestIdx < 0 || v > best || float.IsNaN(v))
                                {
                                    best = v;
                                    bestIdx = idx;
                                    if (float.IsNaN(v))
                                    {
                                        goto done;
                                    }
                                }
                            }
                        }

                    done:
                        y[yo + yPlane + (oy * geo.OutWidth) + ox] = best;
                        indices[io + yPlane + (oy * geo.OutWidth) + ox] = bestIdx;
                    }
                }
            }
        });
    }

    /// <summary>The common 2×2, stride-2 window without padding: four candidates per output, first maximum wins, NaN propagates.</summary>
    private static void MaxPool2x2Plane(in Pool2dGeometry g, float[] x, int xPlane, float[] y, int yPlane, float[] indices, int iPlane)
    {
        var w = g.InWidth;
        for (var oy = 0; oy < g.OutHeight; oy++)
        {
            var r0 = xPlane + (2 * oy * w);
            var r1 = r0 + w;
            var outRow = yPlane + (oy * g.OutWidth);
            var idxRow = iPlane + (oy * g.OutWidth);
            var baseIdx = 2 * oy * w;
            for (var ox = 0; ox < g.OutWidth; ox++)
            {
                var c = 2 * ox;
                var best = x[r0 + c];
                var bestIdx = baseIdx + c;
                var v = x[r0 + c + 1];
                if (v > best || float.IsNaN(v) && !float.IsNaN(best))
                {
                    best = v;
                    bestIdx = baseIdx + c + 1;
                }

                v = x[r1 + c];
                if (v > best || float.IsNaN(v) && !float.IsNaN(best))
                {
                    best = v;
                    bestIdx = baseIdx + w + c;
                }

                v = x[r1 + c + 1];
                if (v > best || float.IsNaN(v) && !float.IsNaN(best))
                {
                    best = v;
                    bestIdx = baseIdx + w + c + 1;
                }

                y[outRow + ox] = best;
                indices[idxRow + ox] = bestIdx;
            }
        }
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor indexTensor, Tensor gradInput)
    {
        var indices = indexTensor.Storage.Data;
        var io = indexTensor.Offset;
        var geo = g;
        var dy = gradOutput.Storage.Data;
        var dx = gradInput.Storage.Data;
        int dyo = gradOutput.Offset, dxo = gradInput.Offset;
        int inPlane = geo.InHeight * geo.InWidth, outPlane = geo.OutHeight * geo.OutWidth;
        if (IsMaxPool2x2(geo) && UseVectorMaxPool)
        {
            CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
            {
                unsafe
                {
                    fixed (float* dyp = dy, ip = indices, dxp = dx)
                    {
                        for (var pl = p0; pl < p1; pl++)
                        {
                            MaxPool2x2Kernel.Backward(
                                dyp + dyo + (pl * outPlane), ip + io + (pl * outPlane), geo.OutHeight, geo.OutWidth, dxp + dxo + (pl * inPlane), geo.InHeight, geo.InWidth);
                        }
                    }
                }
            });
            return;
        }

        CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
        {
            for (var pl = (int)p0; pl < p1; pl++)
            {
                dx.AsSpan(dxo + (pl * inPlane), inPlane).Clear();
                for (var i = 0; i < outPlane; i++)
                {
                    var idx = (int)indices[io + (pl * outPlane) + i];
                    if (idx >= 0)
                    {
                        dx[dxo + (pl * inPlane) + idx] += dy[dyo + (pl * outPlane) + i];
                    }
                }
            }
        });
    }

    private static int PoolDivisor(in Pool2dGeometry g, int oy, int ox, bool countIncludePad, int divisorOverride, out int y0, out int y1, out int x0, out int x1)
    {
        var hStart = (oy * g.StrideH) - g.PadH;
        var wStart = (ox * g.StrideW) - g.PadW;
        var hEnd = Math.Min(hStart + g.KernelH, g.InHeight + g.PadH);
        var wEnd = Math.Min(wStart + g.KernelW, g.InWidth + g.PadW);
        var padded = (hEnd - hStart) * (wEnd - wStart);
        y0 = Math.Max(hStart, 0);
        x0 = Math.Max(wStart, 0);
        y1 = Math.Min(hEnd, g.InHeight);
        x1 = Math.Min(wEnd, g.InWidth);
        if (divisorOverride > 0)
        {
            return divisorOverride;
        }

        return countIncludePad ? padded : (y1 - y0) * (x1 - x0);
    }

    /// <summary>Gets or sets whether 2×2 max pooling uses the AVX-512 kernel where the CPU has it (tests turn it off to cover the scalar path).</summary>
    internal static bool UseVectorMaxPool { get; set; } = MaxPool2x2Kernel.IsSupported;

    /// <summary>Gets whether a max pooling is the non-overlapping 2×2, stride-2 window (no padding or dilation) of the fast paths.</summary>
    private static bool IsMaxPool2x2(in Pool2dGeometry g) =>
        g is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0, DilationH: 1, DilationW: 1 }
        && 2 * g.OutHeight <= g.InHeight && 2 * g.OutWidth <= g.InWidth;

    /// <summary>Gets whether a pooling is the 3×3, stride-1, padding-1 window of cell-based search spaces (same-size output).</summary>
    private static bool IsBox3x3(in Pool2dGeometry g) =>
        g is { KernelH: 3, KernelW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1, DilationH: 1, DilationW: 1 }
        && g.OutHeight == g.InHeight && g.OutWidth == g.InWidth;

    /// <summary>Returns the divisor of each output [y·W + x] of a 3×3/1/1 average pooling.</summary>
    private static float[] Box3x3Divisors(int h, int w, bool countIncludePad, int divisorOverride)
    {
        var count = new float[h * w];
        for (var yy = 0; yy < h; yy++)
        {
            var rows = 1 + (yy > 0 ? 1 : 0) + (yy < h - 1 ? 1 : 0);
            for (var xx = 0; xx < w; xx++)
            {
                var cols = 1 + (xx > 0 ? 1 : 0) + (xx < w - 1 ? 1 : 0);
                count[(yy * w) + xx] = divisorOverride > 0 ? divisorOverride : countIncludePad ? 9f : rows * cols;
            }
        }

        return count;
    }

    /// <summary>dst = Σ of the 3×3 neighbourhood (zero outside) of src, as a horizontal then a vertical pass of vector adds.</summary>
    private static void BoxSum3x3(ReadOnlySpan<float> src, Span<float> dst, int h, int w, Span<float> rows, Span<float> padded)
    {
        // rows[y] = horizontal 3-sums of src row y
        for (var yy = 0; yy < h; yy++)
        {
            padded[0] = 0f;
            padded[w + 1] = 0f;
            src.Slice(yy * w, w).CopyTo(padded[1..]);
            var r = rows.Slice(yy * w, w);
            TensorPrimitives.Add(padded[..w], padded.Slice(1, w), r);
            TensorPrimitives.Add(r, padded.Slice(2, w), r);
        }

        for (var yy = 0; yy < h; yy++)
        {
            var d = dst.Slice(yy * w, w);
            rows.Slice(yy * w, w).CopyTo(d);
            if (yy > 0)
            {
                TensorPrimitives.Add(d, rows.Slice((yy - 1) * w, w), d);
            }

            if (yy < h - 1)
            {
                TensorPrimitives.Add(d, rows.Slice((yy + 1) * w, w), d);
            }
        }
    }

    public void AvgPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, bool countIncludePad, int divisorOverride)
    {
        var geo = g;
        var x = input.Storage.Data;
        var y = output.Storage.Data;
        int xo = input.Offset, yo = output.Offset;
        int inPlane = geo.InHeight * geo.InWidth, outPlane = geo.OutHeight * geo.OutWidth;
        if (IsBox3x3(geo))
        {
            var count = Box3x3Divisors(geo.InHeight, geo.InWidth, countIncludePad, divisorOverride);
            CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), (p0, p1) =>
            {
                var rows = new float[inPlane];
                var padded = new float[geo.InWidth + 2];
                for (var pl = (int)p0; pl < p1; pl++)
                {
                    var dst = y.AsSpan(yo + (pl * outPlane), outPlane);
                    BoxSum3x3(x.AsSpan(xo + (pl * inPlane), inPlane), dst, geo.InHeight, geo.InWidth, rows, padded);
                    TensorPrimitives.Divide(dst, count, dst);
                }
            });
            return;
        }

        CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), (p0, p1) =>
        {
            for (var pl = (int)p0; pl < p1; pl++)
            {
                var xPlane = xo + (pl * inPlane);
                for (var oy = 0; oy < geo.OutHeight; oy++)
                {
                    for (var ox = 0; ox < geo.OutWidth; ox++)
                    {
                        var div = PoolDivisor(geo, oy, ox, countIncludePad, divisorOverride, out var y0, out var y1, out var x0, out var x1);
                        float s = 0;
                        for (var iy = y0; iy < y1; iy++)
                        {
                            var row = xPlane + (iy * geo.InWidth);
                            for (var ix = x0; ix < x1; ix++)
                            {
                                s += x[row + ix];
                            }
                        }

                        y[yo + (pl * outPlane) + (oy * geo.OutWidth) + ox] = s / div;
                    }
                }
            }
        });
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor gradInput, bool countIncludePad, int divisorOverride)
    {
        var geo = g;
        var dy = gradOutput.Storage.Data;
        var dx = gradInput.Storage.Data;
        int dyo = gradOutput.Offset, dxo = gradInput.Offset;
        int inPlane = geo.InHeight * geo.InWidth, outPlane = geo.OutHeight * geo.OutWidth;
        if (IsBox3x3(geo))
        {
            // The 3×3/1/1 window is symmetric: each input receives g/count from the outputs of its own 3×3 neighbourhood.
            var count = Box3x3Divisors(geo.InHeight, geo.InWidth, countIncludePad, divisorOverride);
            CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), (p0, p1) =>
            {
                var scaled = new float[outPlane];
                var rows = new float[inPlane];
                var padded = new float[geo.InWidth + 2];
                for (var pl = (int)p0; pl < p1; pl++)
                {
                    TensorPrimitives.Divide(dy.AsSpan(dyo + (pl * outPlane), outPlane), count, scaled);
                    BoxSum3x3(scaled, dx.AsSpan(dxo + (pl * inPlane), inPlane), geo.InHeight, geo.InWidth, rows, padded);
                }
            });
            return;
        }

        CpuParallel.ForRange(geo.Planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), (p0, p1) =>
        {
            for (var pl = (int)p0; pl < p1; pl++)
            {
                var dxPlane = dxo + (pl * inPlane);
                dx.AsSpan(dxPlane, inPlane).Clear();
                for (var oy = 0; oy < geo.OutHeight; oy++)
                {
                    for (var ox = 0; ox < geo.OutWidth; ox++)
                    {
                        var div = PoolDivisor(geo, oy, ox, countIncludePad, divisorOverride, out var y0, out var y1, out var x0, out var x1);
                        var gv = dy[dyo + (pl * outPlane) + (oy * geo.OutWidth) + ox] / div;
                        for (var iy = y0; iy < y1; iy++)
                        {
                            var row = dxPlane + (iy * geo.InWidth);
                            for (var ix = x0; ix < x1; ix++)
                            {
                                dx[row + ix] += gv;
                            }
                        }
                    }
                }
            }
        });
    }

    private static (int Start, int End) AdaptiveRange(int index, int inSize, int outSize) =>
        ((int)Math.Floor((double)index * inSize / outSize), (int)Math.Ceiling((double)(index + 1) * inSize / outSize));

    public void AdaptiveAvgPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output)
    {
        var x = input.Storage.Data;
        var y = output.Storage.Data;
        int xo = input.Offset, yo = output.Offset;
        int inPlane = inH * inW, outPlane = outH * outW;
        CpuParallel.ForRange(planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
        {
            for (var pl = (int)p0; pl < p1; pl++)
            {
                if (outPlane == 1)
                {
                    y[yo + pl] = (float)(SumPreciseDouble(x.AsSpan(xo + (pl * inPlane), inPlane)) / inPlane);
                    continue;
                }

                for (var oy = 0; oy < outH; oy++)
                {
                    var (ys, ye) = AdaptiveRange(oy, inH, outH);
                    for (var ox = 0; ox < outW; ox++)
                    {
                        var (xs, xe) = AdaptiveRange(ox, inW, outW);
                        float s = 0;
                        for (var iy = ys; iy < ye; iy++)
                        {
                            for (var ix = xs; ix < xe; ix++)
                            {
                                s += x[xo + (pl * inPlane) + (iy * inW) + ix];
                            }
                        }

                        y[yo + (pl * outPlane) + (oy * outW) + ox] = s / ((ye - ys) * (xe - xs));
                    }
                }
            }
        });
    }

    public void AdaptiveAvgPool2dBackward(int planes, int inH, int inW, int outH, int outW, Tensor gradOutput, Tensor gradInput)
    {
        var dy = gradOutput.Storage.Data;
        var dx = gradInput.Storage.Data;
        int dyo = gradOutput.Offset, dxo = gradInput.Offset;
        int inPlane = inH * inW, outPlane = outH * outW;
        CpuParallel.ForRange(planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
        {
            for (var pl = (int)p0; pl < p1; pl++)
            {
                var plane = dx.AsSpan(dxo + (pl * inPlane), inPlane);
                if (outPlane == 1)
                {
                    plane.Fill(dy[dyo + pl] / inPlane);
                    continue;
                }

                plane.Clear();
                for (var oy = 0; oy < outH; oy++)
                {
                    var (ys, ye) = AdaptiveRange(oy, inH, outH);
                    for (var ox = 0; ox < outW; ox++)
                    {
                        var (xs, xe) = AdaptiveRange(ox, inW, outW);
                        var gv = dy[dyo + (pl * outPlane) + (oy * outW) + ox] / ((ye - ys) * (xe - xs));
                        for (var iy = ys; iy < ye; iy++)
                        {
                            for (var ix = xs; ix < xe; ix++)
                            {
                                plane[(iy * inW) + ix] += gv;
                            }
                        }
                    }
                }
            }
        });
    }

    public void AdaptiveMaxPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output, Tensor indexTensor)
    {
        var indices = indexTensor.Storage.Data;
        var io = indexTensor.Offset;
        var x = input.Storage.Data;
        var y = output.Storage.Data;
        int xo = input.Offset, yo = output.Offset;
        int inPlane = inH * inW, outPlane = outH * outW;
        CpuParallel.ForRange(planes, Math.Max(1, ElementwiseGrain / Math.Max(inPlane, 1)), (p0, p1) =>
        {
            for (var pl = (int)p0; pl < p1; pl++)
            {
                for (var oy = 0; oy < outH; oy++)
                {
                    var (ys, ye) = AdaptiveRange(oy, inH, outH);
                    for (var ox = 0; ox < outW; ox++)
                    {
                        var (xs, xe) = AdaptiveRange(ox, inW, outW);
                        var best = float.NegativeInfinity;
                        var bestIdx = -1;
                        for (var iy = ys; iy < ye && !float.IsNaN(best); iy++)
                        {
                            for (var ix = xs; ix < xe; ix++)
                            {
                                var idx = (iy * inW) + ix;
                                var v = x[xo + (pl * inPlane) + idx];
                                if (bestIdx < 0 || v > best || float.IsNaN(v))
                                {
                                    best = v;
                                    bestIdx = idx;
                                    if (float.IsNaN(v))
                                    {
                                        break;
                                    }
                                }
                            }
                        }

                        y[yo + (pl * outPlane) + (oy * outW) + ox] = best;
                        indices[io + (pl * outPlane) + (oy * outW) + ox] = bestIdx;
                    }
                }
            }
        });
    }
}
