using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void SgdUpdate(Tensor parameter, Tensor grad, Tensor? momentumBuffer, in SgdUpdateArguments arguments)
    {
        var a = arguments;
        var ps = parameter.Storage.Data;
        var gs = grad.Storage.Data;
        var bs = momentumBuffer?.Storage.Data;
        int po = parameter.Offset, go = grad.Offset, bo = momentumBuffer?.Offset ?? 0;
        CpuParallel.ForRange(parameter.NumberOfElements, ElementwiseGrain, (s, e) =>
            SgdUpdateSpan(
                ps.AsSpan(po + (int)s, (int)(e - s)),
                gs.AsSpan(go + (int)s, (int)(e - s)),
                bs is null ? default : bs.AsSpan(bo + (int)s, (int)(e - s)),
                a));
    }

    /// <summary>
    /// The step of <see cref="SgdUpdate"/> on one range, with the operations (and fused multiply-adds) of the unfused sequence:
    /// d = ±g; d = d + wd·p; b = d or (b·m) + (1 − dampening)·d; d = d + m·b or b; p = p − lr·d.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SgdUpdateSpan(Span<float> p, ReadOnlySpan<float> g, Span<float> b, in SgdUpdateArguments a)
    {
        var useMomentum = a.Momentum != 0f;
        var keep = 1f - a.Dampening;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var wd = Vector512.Create(a.WeightDecay);
            var m = Vector512.Create(a.Momentum);
            var k = Vector512.Create(keep);
            var step = Vector512.Create(-a.LearningRate);
            for (; i + 16 <= p.Length; i += 16)
            {
                var pv = Vector512.Create(p.Slice(i, 16));
                var d = Vector512.Create(g.Slice(i, 16));
                if (a.Maximize)
                {
                    d = -d;
                }

                if (a.WeightDecay != 0f)
                {
                    d = Vector512.FusedMultiplyAdd(wd, pv, d);
                }

                if (useMomentum)
                {
                    var bv = a.InitializeBuffer ? d : Vector512.FusedMultiplyAdd(k, d, Vector512.Create(b.Slice(i, 16)) * m);
                    bv.CopyTo(b.Slice(i, 16));
                    d = a.Nesterov ? Vector512.FusedMultiplyAdd(m, bv, d) : bv;
                }

                Vector512.FusedMultiplyAdd(step, d, pv).CopyTo(p.Slice(i, 16));
            }
        }

        for (; i < p.Length; i++)
        {
            var d = a.Maximize ? -g[i] : g[i];
            if (a.WeightDecay != 0f)
            {
                d = MathF.FusedMultiplyAdd(a.WeightDecay, p[i], d);
            }

            if (useMomentum)
            {
                var bv = a.InitializeBuffer ? d : MathF.FusedMultiplyAdd(keep, d, b[i] * a.Momentum);
                b[i] = bv;
                d = a.Nesterov ? MathF.FusedMultiplyAdd(a.Momentum, bv, d) : bv;
            }

            p[i] = MathF.FusedMultiplyAdd(-a.LearningRate, d, p[i]);
        }
    }
}
