using System.Diagnostics;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Latency.Internal;

/// <summary>Times timed units and whole networks on zero inputs, interleaved; every method returns medians in milliseconds.</summary>
/// <remarks>
/// <para>Interleaving: each round runs every unit (or network) once, and the median is taken over rounds. On a shared machine the
/// load changes over seconds; timing one unit in a burst would hand a load spike to a few entries, while rounds spread it over all.</para>
/// <para>The caller sets evaluation mode, no-grad and the thread count. Each run has its own tensor scope, ended outside the timed
/// interval, so the pool hands every run recycled storage and memory stays flat.</para>
/// </remarks>
internal static class LayerTimer
{
    public static double[] TimeUnits(IReadOnlyList<TracedCall> units, int warmupRuns, int repeats, Action<int, int>? onRound, CancellationToken cancellationToken)
    {
        using var outer = TensorScope.Begin();
        var inputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var unitInputs = new Tensor[units.Count];
        for (var i = 0; i < units.Count; i++)
        {
            var key = LayerSignature.FormatShape(units[i].InputShape);
            if (!inputs.TryGetValue(key, out var input))
            {
                input = Tensor.Zeros(units[i].InputShape);
                inputs[key] = input;
            }

            unitInputs[i] = input;
        }

        var samples = NewSamples(units.Count, repeats);
        for (var r = -warmupRuns; r < repeats; r++)
        {
            for (var i = 0; i < units.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ms = units[i].IsSelfWork ? SampleSelfWork(units[i].Module, unitInputs[i]) : SampleCall(units[i].Module, unitInputs[i]);
                if (r >= 0)
                {
                    samples[i][r] = ms;
                }
            }

            onRound?.Invoke(r + warmupRuns + 1, warmupRuns + repeats);
        }

        return samples.Select(Median).ToArray();
    }

    public static double[] TimeNetworks(IReadOnlyList<Module<Tensor, Tensor>> networks, int[] inputShape, int warmupRuns, int repeats,
        Action<int, int>? onRound, CancellationToken cancellationToken)
    {
        using var outer = TensorScope.Begin();
        var input = Tensor.Zeros(inputShape);
        var samples = NewSamples(networks.Count, repeats);
        for (var r = -warmupRuns; r < repeats; r++)
        {
            for (var n = 0; n < networks.Count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ms = SampleCall(networks[n], input);
                if (r >= 0)
                {
                    samples[n][r] = ms;
                }
            }

            onRound?.Invoke(r + warmupRuns + 1, warmupRuns + repeats);
        }

        return samples.Select(Median).ToArray();
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double[][] NewSamples(int count, int repeats)
    {
        var samples = new double[count][];
        for (var i = 0; i < count; i++)
        {
            samples[i] = new double[repeats];
        }

        return samples;
    }

    private static double SampleCall(Module<Tensor, Tensor> module, Tensor input)
    {
        using var scope = TensorScope.Begin();
        var start = Stopwatch.GetTimestamp();
        module.Call(input);

        // Raw ticks, not TimeSpan: a TimeSpan rounds to 100 ns, coarse for layers that take a few microseconds.
        return (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Times what a module with children does outside them: the run's total minus the time inside the outermost calls of
    /// its tensor-to-tensor descendants, measured by hooks during the same run. The hooks exist only for this run, so they add no
    /// overhead to other measurements.</summary>
    private static double SampleSelfWork(Module<Tensor, Tensor> module, Tensor input)
    {
        var depth = 0;
        long childStart = 0;
        long childTicks = 0;
        var handles = new List<HookHandle>();
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance) { module };
        foreach (var descendant in module.Modules())
        {
            if (descendant is not Module<Tensor, Tensor> typed || !seen.Add(descendant))
            {
                continue;
            }

            handles.Add(typed.RegisterForwardPreHook((_, x) =>
            {
                if (depth++ == 0)
                {
                    childStart = Stopwatch.GetTimestamp();
                }

                return x;
            }));
            handles.Add(typed.RegisterForwardHook((_, _, _) =>
            {
                if (--depth == 0)
                {
                    childTicks += Stopwatch.GetTimestamp() - childStart;
                }
            }));
        }

        try
        {
            using var scope = TensorScope.Begin();
            var start = Stopwatch.GetTimestamp();
            module.Call(input);
            var total = Stopwatch.GetTimestamp() - start;
            return Math.Max(0, total - childTicks) * 1000.0 / Stopwatch.Frequency;
        }
        finally
        {
            foreach (var h in handles)
            {
                h.Dispose();
            }
        }
    }
}
