using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NasKit.Tensors.Internal.Storage;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

/// <summary>The CPU backend: managed arrays, SIMD kernels (System.Numerics.Tensors and our own), the engine's thread pool.</summary>
internal sealed partial class CpuBackend : ITensorBackend
{
    // Element-wise work below this many elements runs on one thread.
    internal const int ElementwiseGrain = 32 * 1024;

    public Device Device => Device.Cpu;

    public TensorStorage Allocate(int length, bool zero) => TensorStorage.Allocate(length, zero);

    /// <summary>Gets the span of a contiguous tensor's elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Span<float> Span(Tensor t) => t.Storage.Data.AsSpan(t.Offset, t.NumberOfElements);

    public void CopyFromHost(ReadOnlySpan<float> source, Tensor destination) => source.CopyTo(Span(destination));

    public void CopyToHost(Tensor source, Span<float> destination)
    {
        if (source.IsContiguous)
        {
            Span(source).CopyTo(destination);
            return;
        }

        using var tmp = Tensor.CreateUninitialized(source.Shape);
        Copy(source, source.StridesArray, tmp);
        Span(tmp).CopyTo(destination);
    }

    public void Copy(Tensor source, int[] sourceStrides, Tensor destination)
    {
        if (source.IsContiguous && destination.IsContiguous && sourceStrides.AsSpan().SequenceEqual(source.StridesSpan) && source.NumberOfElements == destination.NumberOfElements)
        {
            Span(source).CopyTo(Span(destination));
            return;
        }

        var plan = StridedPlan.Create(destination.ShapeSpan, sourceStrides, destination.StridesArray);
        var src = source.Storage.Data;
        var dst = destination.Storage.Data;
        int sBase = source.Offset, dBase = destination.Offset;
        var rowLen = plan.RowLength;
        int ss = plan.RowStride(0), ds = plan.RowStride(1);
        CpuParallel.ForRange(plan.Rows, Math.Max(1, ElementwiseGrain / Math.Max(rowLen, 1)), (r0, r1) =>
            plan.ForEachRow(r0, r1, off =>
            {
                var so = sBase + off[0];
                var d0 = dBase + off[1];
                if (ss == 1 && ds == 1)
                {
                    src.AsSpan(so, rowLen).CopyTo(dst.AsSpan(d0, rowLen));
                }
                else if (ss == 0 && ds == 1)
                {
                    dst.AsSpan(d0, rowLen).Fill(src[so]);
                }
                else
                {
                    for (var i = 0; i < rowLen; i++)
                    {
                        dst[d0 + (i * ds)] = src[so + (i * ss)];
                    }
                }
            }));
    }

    public void Fill(Tensor destination, float value)
    {
        if (destination.IsContiguous)
        {
            Span(destination).Fill(value);
            return;
        }

        var plan = StridedPlan.Create(destination.ShapeSpan, destination.StridesArray);
        var dst = destination.Storage.Data;
        var dBase = destination.Offset;
        var rowLen = plan.RowLength;
        var ds = plan.RowStride(0);
        plan.ForEachRow(0, plan.Rows, off =>
        {
            var d0 = dBase + off[0];
            if (ds == 1)
            {
                dst.AsSpan(d0, rowLen).Fill(value);
            }
            else
            {
                for (var i = 0; i < rowLen; i++)
                {
                    dst[d0 + (i * ds)] = value;
                }
            }
        });
    }

    public void FillUniform(Tensor destination, float low, float high, Generator generator) =>
        generator.FillUniform(Span(destination), low, high);

    public void FillNormal(Tensor destination, float mean, float std, Generator generator) =>
        generator.FillNormal(Span(destination), mean, std);

    public void FillBernoulli(Tensor destination, float keepProbability, float scale, Generator generator) =>
        generator.FillBernoulli(Span(destination), keepProbability, scale);

    public double Dot(Tensor a, Tensor b)
    {
        // Fixed 4096-element blocks, block results combined in order: independent of the thread count.
        const int Block = 4096;
        var ad = a.Storage.Data;
        var bd = b.Storage.Data;
        int ao = a.Offset, bo = b.Offset, n = a.NumberOfElements;
        var blocks = (n + Block - 1) / Block;
        if (blocks <= 1)
        {
            return TensorPrimitives.Dot(ad.AsSpan(ao, n), bd.AsSpan(bo, n));
        }

        var partial = new double[blocks];
        CpuParallel.ForRange(blocks, 16, (b0, b1) =>
        {
            for (var blk = b0; blk < b1; blk++)
            {
                var start = (int)blk * Block;
                var len = Math.Min(Block, n - start);
                partial[blk] = TensorPrimitives.Dot(ad.AsSpan(ao + start, len), bd.AsSpan(bo + start, len));
            }
        });

        double total = 0;
        foreach (var p in partial)
        {
            total += p;
        }

        return total;
    }

    public double SumAll(Tensor x)
    {
        // Fixed 4096-element blocks summed in float, block sums in double, in block order: the result does not
        // depend on the thread count.
        const int Block = 4096;
        var span = x.Storage.Data;
        var off = x.Offset;
        var n = x.NumberOfElements;
        var blocks = (n + Block - 1) / Block;
        if (blocks <= 1)
        {
            return TensorPrimitives.Sum(span.AsSpan(off, n));
        }

        var partial = new double[blocks];
        CpuParallel.ForRange(blocks, 16, (b0, b1) =>
        {
            for (var b = b0; b < b1; b++)
            {
                var start = (int)b * Block;
                partial[b] = TensorPrimitives.Sum(span.AsSpan(off + start, Math.Min(Block, n - start)));
            }
        });

        double total = 0;
        foreach (var p in partial)
        {
            total += p;
        }

        return total;
    }
}
