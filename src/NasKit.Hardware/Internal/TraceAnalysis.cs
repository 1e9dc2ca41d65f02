using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Internal;

/// <summary>Turns a kernel trace into a <see cref="ModelCost"/>: constants, activation lifetimes, peak memory, the layer table.</summary>
internal static class TraceAnalysis
{
    public static ModelCost Summarize(Module model, ModuleCallRecorder recorder, IReadOnlyList<TracedKernel> kernels, HashSet<long> constants,
        long inputId, long inputElements, long outputId, CostCountingOptions options)
    {
        var bpe = options.BytesPerElement;

        // Constant propagation: a value computed only from parameters, buffers and other constants is not an activation.
        var elements = new Dictionary<long, long> { [inputId] = inputElements };
        var start = new Dictionary<long, int> { [inputId] = 0 };
        var end = new Dictionary<long, int> { [inputId] = 0 };
        long macs = 0, other = 0;
        var work = new bool[kernels.Count];
        foreach (var k in kernels)
        {
            if (k.IsBackward)
            {
                continue;
            }

            var allConstant = true;
            foreach (var id in k.Inputs)
            {
                if (!constants.Contains(id))
                {
                    allConstant = false;
                    if (end.ContainsKey(id))
                    {
                        end[id] = k.Index;
                    }
                }
            }

            if (allConstant)
            {
                // Work on constants alone (a batch norm's inverse standard deviation, a linear layer's bias broadcast) could be
                // precomputed: it is neither an activation nor counted work.
                if (k.Output >= 0)
                {
                    constants.Add(k.Output);
                }

                continue;
            }

            work[k.Index] = true;
            macs += k.Macs;
            other += k.OtherOperations;
            if (k.Output < 0)
            {
                continue;
            }

            constants.Remove(k.Output);
            if (!start.ContainsKey(k.Output))
            {
                start[k.Output] = k.Index;
                elements[k.Output] = k.OutputElements;
            }

            end[k.Output] = Math.Max(end.GetValueOrDefault(k.Output), k.Index);
        }

        var last = Math.Max(0, kernels.Count - 1);
        if (end.ContainsKey(outputId))
        {
            end[outputId] = last;
        }

        var delta = new long[kernels.Count + 2];
        long activationBytes = 0;
        foreach (var (id, s) in start)
        {
            var bytes = elements[id] * bpe;
            if (id != inputId)
            {
                activationBytes += bytes;
            }

            delta[s] += bytes;
            delta[end[id] + 1] -= bytes;
        }

        long live = 0, peak = 0;
        foreach (var d in delta)
        {
            live += d;
            peak = Math.Max(peak, live);
        }

        var layers = BuildLayers(recorder, kernels, work, bpe);
        var parameters = model.Parameters().Sum(p => (long)p.NumberOfElements);
        var buffers = model.Buffers().Sum(b => (long)b.NumberOfElements);
        return new ModelCost(parameters, buffers, macs, other, inputElements * bpe, activationBytes, peak,
            (parameters + buffers) * 4, parameters + buffers, options.BatchSize, bpe, layers);
    }

    private static List<LayerCost> BuildLayers(ModuleCallRecorder recorder, IReadOnlyList<TracedKernel> kernels, bool[] work, int bpe)
    {
        var owners = recorder.Owners(kernels.Count);
        var calls = recorder.Calls;
        var macs = new long[calls.Count];
        var other = new long[calls.Count];
        var byCategory = new Dictionary<KernelCategory, long>?[calls.Count];
        var hasKernels = new bool[calls.Count];
        for (var i = 0; i < kernels.Count; i++)
        {
            var k = kernels[i];
            var owner = owners[i];
            if (owner < 0 || !work[i])
            {
                continue;
            }

            hasKernels[owner] = true;
            macs[owner] += k.Macs;
            other[owner] += k.OtherOperations;
            var ops = k.Macs + k.OtherOperations;
            if (ops > 0)
            {
                var d = byCategory[owner] ??= [];
                d[k.Category] = d.GetValueOrDefault(k.Category) + ops;
            }
        }

        var counted = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var layers = new List<LayerCost>();
        for (var c = 0; c < calls.Count; c++)
        {
            var call = calls[c];
            var parameters = counted.Add(call.Module) ? call.Module.Parameters(recurse: false).Sum(p => (long)p.NumberOfElements) : 0;
            if (!hasKernels[c] && !call.IsLeaf && parameters == 0)
            {
                continue;
            }

            long outElements = 1;
            foreach (var d in call.OutputShape)
            {
                outElements *= d;
            }

            layers.Add(new LayerCost(call.Name, call.Module.GetType().Name, call.InputShape, call.OutputShape, parameters, macs[c], other[c],
                byCategory[c] ?? new Dictionary<KernelCategory, long>(), outElements * bpe));
        }

        return layers;
    }
}
