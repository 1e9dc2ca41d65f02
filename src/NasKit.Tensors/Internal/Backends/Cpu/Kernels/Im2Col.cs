namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>Unfolds image patches into columns (im2col) and folds them back with accumulation (col2im).</summary>
internal static class Im2Col
{
    /// <summary>
    /// Writes col[(c·kh + ky)·kw + kx, oy·outW + ox] = x[c, oy·sh − ph + ky·dh, ox·sw − pw + kx·dw] (0 outside the image)
    /// for <paramref name="channels"/> channels starting at <paramref name="xOffset"/>.
    /// </summary>
    public static void Unfold(in Conv2dGeometry g, int channels, float[] x, int xOffset, float[] col, int colOffset)
    {
        int h = g.InHeight, w = g.InWidth, outH = g.OutHeight, outW = g.OutWidth, p = g.OutPlane;
        var dst = colOffset;
        for (var c = 0; c < channels; c++)
        {
            var plane = xOffset + (c * h * w);
            for (var ky = 0; ky < g.KernelH; ky++)
            {
                for (var kx = 0; kx < g.KernelW; kx++)
                {
                    var xShift = (kx * g.DilationW) - g.PadW;
                    // Valid ox range: 0 <= ox*sw + xShift < w
                    var oxStart = xShift >= 0 ? 0 : (-xShift + g.StrideW - 1) / g.StrideW;
                    var oxEnd = w - xShift <= 0 ? 0 : Math.Min(outW, ((w - xShift - 1) / g.StrideW) + 1);
                    if (oxEnd < oxStart)
                    {
                        oxEnd = oxStart;
                    }

                    for (var oy = 0; oy < outH; oy++)
                    {
                        var iy = (oy * g.StrideH) - g.PadH + (ky * g.DilationH);
                        var row = col.AsSpan(dst + (oy * outW), outW);
                        if ((uint)iy >= (uint)h)
                        {
                            row.Clear();
                            continue;
                        }

                        row[..oxStart].Clear();
                        row[oxEnd..].Clear();
                        var src = plane + (iy * w) + xShift;
                        if (g.StrideW == 1)
                        {
                            x.AsSpan(src + oxStart, oxEnd - oxStart).CopyTo(row[oxStart..]);
                        }
                        else
                        {
                            for (var ox = oxStart; ox < oxEnd; ox++)
                            {
                                row[ox] = x[src + (ox * g.StrideW)];
                            }
                        }
                    }

                    dst += p;
                }
            }
        }
    }

    /// <summary>Adds the columns back into the image: the adjoint of <see cref="Unfold"/>. The image is accumulated into, not cleared.</summary>
    public static void Fold(in Conv2dGeometry g, int channels, float[] col, int colOffset, float[] x, int xOffset)
    {
        int h = g.InHeight, w = g.InWidth, outH = g.OutHeight, outW = g.OutWidth, p = g.OutPlane;
        var src = colOffset;
        for (var c = 0; c < channels; c++)
        {
            var plane = xOffset + (c * h * w);
            for (var ky = 0; ky < g.KernelH; ky++)
            {
                for (var kx = 0; kx < g.KernelW; kx++)
                {
                    var xShift = (kx * g.DilationW) - g.PadW;
                    var oxStart = xShift >= 0 ? 0 : (-xShift + g.StrideW - 1) / g.StrideW;
                    var oxEnd = w - xShift <= 0 ? 0 : Math.Min(outW, ((w - xShift - 1) / g.StrideW) + 1);
                    for (var oy = 0; oy < outH; oy++)
                    {
                        var iy = (oy * g.StrideH) - g.PadH + (ky * g.DilationH);
                        if ((uint)iy >= (uint)h || oxEnd <= oxStart)
                        {
                            continue;
                        }

                        var rowStart = src + (oy * outW);
                        var dstRow = plane + (iy * w) + xShift;
                        if (g.StrideW == 1)
                        {
                            var n = oxEnd - oxStart;
                            var d = x.AsSpan(dstRow + oxStart, n);
                            System.Numerics.Tensors.TensorPrimitives.Add(d, col.AsSpan(rowStart + oxStart, n), d);
                        }
                        else
                        {
                            for (var ox = oxStart; ox < oxEnd; ox++)
                            {
                                x[dstRow + (ox * g.StrideW)] += col[rowStart + ox];
                            }
                        }
                    }

                    src += p;
                }
            }
        }
    }
}
