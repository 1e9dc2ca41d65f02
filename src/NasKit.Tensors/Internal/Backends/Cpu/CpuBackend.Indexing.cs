using System.Numerics.Tensors;
using NasKit.Tensors.NN;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void IndexSelect(Tensor x, int outer, int dim, int inner, int[] indices, Tensor destination)
    {
        var xs = x.Storage.Data;
        var ds = destination.Storage.Data;
        int xo = x.Offset, dOff = destination.Offset;
        var count = indices.Length;
        CpuParallel.ForRange((long)outer * count, Math.Max(1, ElementwiseGrain / Math.Max(inner, 1)), (s, e) =>
        {
            for (var t = s; t < e; t++)
            {
                var o = (int)(t / count);
                var i = (int)(t % count);
                xs.AsSpan(xo + (((o * dim) + indices[i]) * inner), inner).CopyTo(ds.AsSpan(dOff + (((o * count) + i) * inner), inner));
            }
        });
    }

    public void IndexAdd(Tensor destination, int outer, int dim, int inner, int[] indices, Tensor source)
    {
        var ds = destination.Storage.Data;
        var ss = source.Storage.Data;
        int dOff = destination.Offset, so = source.Offset;
        var count = indices.Length;

        // Parallel over `outer` only: two source rows may target the same destination row (repeated indices).
        CpuParallel.ForRange(outer, Math.Max(1, ElementwiseGrain / Math.Max(inner * count, 1)), (o0, o1) =>
        {
            for (var o = (int)o0; o < o1; o++)
            {
                for (var i = 0; i < count; i++)
                {
                    var d = ds.AsSpan(dOff + (((o * dim) + indices[i]) * inner), inner);
                    TensorPrimitives.Add(d, ss.AsSpan(so + (((o * count) + i) * inner), inner), d);
                }
            }
        });
    }

    public double NllLossForward(int n, int c, int inner, Tensor logProbs, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor losses)
    {
        var lp = logProbs.Storage.Data;
        var ls = losses.Storage.Data;
        var ws = classWeights?.Storage.Data;
        int lpo = logProbs.Offset, lo = losses.Offset, wo = classWeights?.Offset ?? 0;
        double totalWeight = 0;
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < inner; k++)
            {
                var t = targets[(i * inner) + k];
                if (t == ignoreIndex)
                {
                    ls[lo + (i * inner) + k] = 0f;
                    continue;
                }

                var w = ws is null ? 1f : ws[wo + t];
                totalWeight += w;
                ls[lo + (i * inner) + k] = -w * lp[lpo + (((i * c) + t) * inner) + k];
            }
        }

        return totalWeight;
    }

    public void NllLossBackward(int n, int c, int inner, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor gradScale, Tensor gradInput)
    {
        var gs = gradScale.Storage.Data;
        var gi = gradInput.Storage.Data;
        var ws = classWeights?.Storage.Data;
        int gso = gradScale.Offset, gio = gradInput.Offset, wo = classWeights?.Offset ?? 0;
        gi.AsSpan(gio, n * c * inner).Clear();
        var scalar = gradScale.NumberOfElements == 1;
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < inner; k++)
            {
                var t = targets[(i * inner) + k];
                if (t == ignoreIndex)
                {
                    continue;
                }

                var w = ws is null ? 1f : ws[wo + t];
                var g = scalar ? gs[gso] : gs[gso + (i * inner) + k];
                gi[gio + (((i * c) + t) * inner) + k] = -w * g;
            }
        }
    }

    private static int PadSource(PaddingMode mode, int i, int size)
    {
        switch (mode)
        {
            case PaddingMode.Reflect:
                if (size == 1)
                {
                    return 0;
                }

                var period = 2 * (size - 1);
                var m = ((i % period) + period) % period;
                return m < size ? m : period - m;
            case PaddingMode.Replicate:
                return Math.Clamp(i, 0, size - 1);
            case PaddingMode.Circular:
                return ((i % size) + size) % size;
            default:
                return (uint)i < (uint)size ? i : -1;
        }
    }

    public void Pad2d(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor x, float value, Tensor destination)
    {
        var xs = x.Storage.Data;
        var ds = destination.Storage.Data;
        int xo = x.Offset, dOff = destination.Offset;
        var oh = h + top + bottom;
        var ow = w + left + right;
        CpuParallel.ForRange(planes, Math.Max(1, ElementwiseGrain / Math.Max(oh * ow, 1)), (p0, p1) =>
        {
            for (var p = (int)p0; p < p1; p++)
            {
                for (var oy = 0; oy < oh; oy++)
                {
                    var iy = PadSource(mode, oy - top, h);
                    for (var ox = 0; ox < ow; ox++)
                    {
                        var ix = PadSource(mode, ox - left, w);
                        ds[dOff + (((p * oh) + oy) * ow) + ox] = iy < 0 || ix < 0 ? value : xs[xo + (((p * h) + iy) * w) + ix];
                    }
                }
            }
        });
    }

    public void Pad2dBackward(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor gradOutput, Tensor gradInput)
    {
        var gs = gradOutput.Storage.Data;
        var gi = gradInput.Storage.Data;
        int go = gradOutput.Offset, gio = gradInput.Offset;
        var oh = h + top + bottom;
        var ow = w + left + right;
        CpuParallel.ForRange(planes, Math.Max(1, ElementwiseGrain / Math.Max(oh * ow, 1)), (p0, p1) =>
        {
            for (var p = (int)p0; p < p1; p++)
            {
                gi.AsSpan(gio + (p * h * w), h * w).Clear();
                for (var oy = 0; oy < oh; oy++)
                {
                    var iy = PadSource(mode, oy - top, h);
                    if (iy < 0)
                    {
                        continue;
                    }

                    for (var ox = 0; ox < ow; ox++)
                    {
                        var ix = PadSource(mode, ox - left, w);
                        if (ix >= 0)
                        {
                            gi[gio + (((p * h) + iy) * w) + ix] += gs[go + (((p * oh) + oy) * ow) + ox];
                        }
                    }
                }
            }
        });
    }
}
