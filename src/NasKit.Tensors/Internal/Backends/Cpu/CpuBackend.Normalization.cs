using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void BatchNormTrainForward(int n, int c, int plane, Tensor x, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        float momentum, float eps, Tensor output, Tensor mean, Tensor invStd, bool relu)
    {
        var xs = x.Storage.Data;
        var ys = output.Storage.Data;
        var ms = mean.Storage.Data;
        var iss = invStd.Storage.Data;
        var ws = weight?.Storage.Data;
        var bs = bias?.Storage.Data;
        var rms = runningMean?.Storage.Data;
        var rvs = runningVar?.Storage.Data;
        int xo = x.Offset, yo = output.Offset, mo = mean.Offset, io = invStd.Offset;
        int wo = weight?.Offset ?? 0, bo = bias?.Offset ?? 0, rmo = runningMean?.Offset ?? 0, rvo = runningVar?.Offset ?? 0;
        var count = (long)n * plane;
        CpuParallel.ForRange(c, 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c0, c1) =>
        {
            for (var ch = (int)c0; ch < c1; ch++)
            {
                // All planes of the channel in one call per statistic (no call and no horizontal sum per 8 × 8 plane).
                var channel = xs.AsSpan(xo + (ch * plane));
                var mu = StatisticsKernels.ChannelSum(channel, n, c * plane, plane) / count;
                var ss = StatisticsKernels.ChannelSquaredDeviations(channel, n, c * plane, plane, (float)mu);

                var variance = ss / count;
                var inv = 1.0 / Math.Sqrt(variance + eps);
                ms[mo + ch] = (float)mu;
                iss[io + ch] = (float)inv;
                if (rms is not null)
                {
                    rms[rmo + ch] = (float)(((1 - momentum) * rms[rmo + ch]) + (momentum * mu));
                }

                if (rvs is not null)
                {
                    var unbiased = count > 1 ? variance * count / (count - 1) : variance;
                    rvs[rvo + ch] = (float)(((1 - momentum) * rvs[rvo + ch]) + (momentum * unbiased));
                }

                var scale = (float)inv * (ws is null ? 1f : ws[wo + ch]);
                var shift = (bs is null ? 0f : bs[bo + ch]) - ((float)mu * scale);
                for (var i = 0; i < n; i++)
                {
                    var off = ((i * c) + ch) * plane;
                    Normalize(xs.AsSpan(xo + off, plane), scale, shift, relu, ys.AsSpan(yo + off, plane));
                }
            }
        });
    }

    public void BatchNormApply(int n, int c, int plane, Tensor x, Tensor mean, Tensor invStd, Tensor? weight, Tensor? bias, Tensor output, bool relu)
    {
        var xs = x.Storage.Data;
        var ys = output.Storage.Data;
        var ms = mean.Storage.Data;
        var iss = invStd.Storage.Data;
        var ws = weight?.Storage.Data;
        var bs = bias?.Storage.Data;
        int xo = x.Offset, yo = output.Offset, mo = mean.Offset, io = invStd.Offset, wo = weight?.Offset ?? 0, bo = bias?.Offset ?? 0;
        CpuParallel.ForRange((long)n * c, Math.Max(1, ElementwiseGrain / Math.Max(plane, 1)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
        {
            for (var p = (int)p0; p < p1; p++)
            {
                var ch = p % c;
                var scale = iss[io + ch] * (ws is null ? 1f : ws[wo + ch]);
                var shift = (bs is null ? 0f : bs[bo + ch]) - (ms[mo + ch] * scale);
                Normalize(xs.AsSpan(xo + (p * plane), plane), scale, shift, relu, ys.AsSpan(yo + (p * plane), plane));
            }
        });
    }

    // destination = x·scale + shift, rectified when a following ReLU is fused in.
    private static void Normalize(ReadOnlySpan<float> x, float scale, float shift, bool relu, Span<float> destination)
    {
        if (relu)
        {
            ElementwiseDriver.Unary(new AffineReluOperator(scale, shift), x, destination);
        }
        else
        {
            ElementwiseDriver.Unary(new AffineOperator(scale, shift), x, destination);
        }
    }

    public void BatchNormBackward(int n, int c, int plane, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight,
        bool batchStatistics, Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor? reluOutput)
    {
        var dys = gradOutput.Storage.Data;
        var rys = reluOutput?.Storage.Data;
        var ryo = reluOutput?.Offset ?? 0;
        var xs = x.Storage.Data;
        var ms = mean.Storage.Data;
        var iss = invStd.Storage.Data;
        var ws = weight?.Storage.Data;
        var dxs = gradInput?.Storage.Data;
        var dws = gradWeight?.Storage.Data;
        var dbs = gradBias?.Storage.Data;
        int dyo = gradOutput.Offset, xo = x.Offset, mo = mean.Offset, io = invStd.Offset, wo = weight?.Offset ?? 0;
        int dxo = gradInput?.Offset ?? 0, dwo = gradWeight?.Offset ?? 0, dbo = gradBias?.Offset ?? 0;
        var count = (double)n * plane;
        CpuParallel.ForRange(c, 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c0, c1) =>
        {
            for (var ch = (int)c0; ch < c1; ch++)
            {
                var mu = ms[mo + ch];
                var inv = iss[io + ch];
                double sumDy = 0;
                double sumDyXmu = 0;
                if (rys is null)
                {
                    (sumDy, sumDyXmu) = StatisticsKernels.ChannelSumAndCenteredDot(dys.AsSpan(dyo + (ch * plane)), xs.AsSpan(xo + (ch * plane)), n, c * plane, plane, mu);
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        var off = ((i * c) + ch) * plane;
                        var (sum, dot) = StatisticsKernels.ReluMaskedSums(dys.AsSpan(dyo + off, plane), rys.AsSpan(ryo + off, plane), xs.AsSpan(xo + off, plane), mu);
                        sumDy += sum;
                        sumDyXmu += dot;
                    }
                }

                if (dws is not null)
                {
                    dws[dwo + ch] = (float)(sumDyXmu * inv);
                }

                if (dbs is not null)
                {
                    dbs[dbo + ch] = (float)sumDy;
                }

                if (dxs is null)
                {
                    continue;
                }

                var w = ws is null ? 1f : ws[wo + ch];
                if (batchStatistics)
                {
                    // dx = w·inv·(dy − mean(dy) − x̂·mean(dy·x̂)), x̂ = (x − μ)·inv
                    var meanDy = (float)(sumDy / count);
                    var proj = (float)(sumDyXmu / count) * inv * inv; // mean(dy·x̂)·inv, applied to (x − μ)
                    // dx = scale·dy − scale·proj·x + scale·(proj·μ − mean(dy))
                    var scale = w * inv;
                    var b = -scale * proj;
                    var constant = scale * ((proj * mu) - meanDy);
                    for (var i = 0; i < n; i++)
                    {
                        var off = ((i * c) + ch) * plane;
                        if (rys is null)
                        {
                            StatisticsKernels.Combine(dys.AsSpan(dyo + off, plane), scale, xs.AsSpan(xo + off, plane), b, constant, dxs.AsSpan(dxo + off, plane));
                        }
                        else
                        {
                            StatisticsKernels.ReluMaskedCombine(dys.AsSpan(dyo + off, plane), rys.AsSpan(ryo + off, plane), scale, xs.AsSpan(xo + off, plane), b, constant, dxs.AsSpan(dxo + off, plane));
                        }
                    }
                }
                else
                {
                    var scale = w * inv;
                    for (var i = 0; i < n; i++)
                    {
                        var off = ((i * c) + ch) * plane;
                        if (rys is null)
                        {
                            TensorPrimitives.Multiply(dys.AsSpan(dyo + off, plane), scale, dxs.AsSpan(dxo + off, plane));
                        }
                        else
                        {
                            var dx = dxs.AsSpan(dxo + off, plane);
                            ElementwiseDriver.Binary(new ReluGradOperator(), dys.AsSpan(dyo + off, plane), rys.AsSpan(ryo + off, plane), dx);
                            TensorPrimitives.Multiply(dx, scale, dx);
                        }
                    }
                }
            }
        });
    }

    public void LayerNormForward(int outer, int inner, Tensor x, Tensor? weight, Tensor? bias, float eps, Tensor output, Tensor mean, Tensor invStd)
    {
        var xs = x.Storage.Data;
        var ys = output.Storage.Data;
        var ms = mean.Storage.Data;
        var iss = invStd.Storage.Data;
        var ws = weight?.Storage.Data;
        var bs = bias?.Storage.Data;
        int xo = x.Offset, yo = output.Offset, mo = mean.Offset, io = invStd.Offset, wo = weight?.Offset ?? 0, bo = bias?.Offset ?? 0;
        CpuParallel.ForRange(outer, Math.Max(1, ElementwiseGrain / Math.Max(inner, 1)), (r0, r1) =>
        {
            for (var r = (int)r0; r < r1; r++)
            {
                var row = xs.AsSpan(xo + (r * inner), inner);
                var mu = SumPreciseDouble(row) / inner;
                double ss = 0;
                foreach (var v in row)
                {
                    var d = v - mu;
                    ss += d * d;
                }

                var inv = (float)(1.0 / Math.Sqrt((ss / inner) + eps));
                ms[mo + r] = (float)mu;
                iss[io + r] = inv;
                var dst = ys.AsSpan(yo + (r * inner), inner);
                ElementwiseDriver.Unary(new AffineOperator(inv, -(float)mu * inv), row, dst);
                if (ws is not null)
                {
                    TensorPrimitives.Multiply(dst, ws.AsSpan(wo, inner), dst);
                }

                if (bs is not null)
                {
                    TensorPrimitives.Add(dst, bs.AsSpan(bo, inner), dst);
                }
            }
        });
    }

    public void LayerNormBackward(int outer, int inner, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight,
        Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias)
    {
        var dys = gradOutput.Storage.Data;
        var xs = x.Storage.Data;
        var ms = mean.Storage.Data;
        var iss = invStd.Storage.Data;
        var ws = weight?.Storage.Data;
        var dxs = gradInput?.Storage.Data;
        int dyo = gradOutput.Offset, xo = x.Offset, mo = mean.Offset, io = invStd.Offset, wo = weight?.Offset ?? 0, dxo = gradInput?.Offset ?? 0;
        var chunks = CpuParallel.ChunkCount(outer, Math.Max(1, ElementwiseGrain / Math.Max(inner, 1)));
        var partialW = gradWeight is null ? null : new double[chunks][];
        var partialB = gradBias is null ? null : new double[chunks][];
        CpuParallel.For(chunks, chunk =>
        {
            var (r0, r1) = CpuParallel.ChunkBounds(outer, chunks, chunk);
            var pw = partialW is null ? null : partialW[chunk] = new double[inner];
            var pb = partialB is null ? null : partialB[chunk] = new double[inner];
            var dxhat = new float[inner];
            for (var r = (int)r0; r < r1; r++)
            {
                var dy = dys.AsSpan(dyo + (r * inner), inner);
                var xr = xs.AsSpan(xo + (r * inner), inner);
                var mu = ms[mo + r];
                var inv = iss[io + r];
                for (var k = 0; k < inner; k++)
                {
                    var xhat = (xr[k] - mu) * inv;
                    if (pw is not null)
                    {
                        pw[k] += dy[k] * xhat;
                    }

                    if (pb is not null)
                    {
                        pb[k] += dy[k];
                    }

                    dxhat[k] = ws is null ? dy[k] : dy[k] * ws[wo + k];
                }

                if (dxs is null)
                {
                    continue;
                }

                double sumDxhat = 0;
                double sumDxhatXhat = 0;
                for (var k = 0; k < inner; k++)
                {
                    sumDxhat += dxhat[k];
                    sumDxhatXhat += dxhat[k] * (xr[k] - mu) * inv;
                }

                var meanA = (float)(sumDxhat / inner);
                var meanB = (float)(sumDxhatXhat / inner);
                var dx = dxs.AsSpan(dxo + (r * inner), inner);
                for (var k = 0; k < inner; k++)
                {
                    var xhat = (xr[k] - mu) * inv;
                    dx[k] = inv * (dxhat[k] - meanA - (xhat * meanB));
                }
            }
        });

        if (gradWeight is not null)
        {
            var dw = CpuBackend.Span(gradWeight);
            for (var k = 0; k < inner; k++)
            {
                double s = 0;
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    s += partialW![chunk][k];
                }

                dw[k] = (float)s;
            }
        }

        if (gradBias is not null)
        {
            var db = CpuBackend.Span(gradBias);
            for (var k = 0; k < inner; k++)
            {
                double s = 0;
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    s += partialB![chunk][k];
                }

                db[k] = (float)s;
            }
        }
    }
}
