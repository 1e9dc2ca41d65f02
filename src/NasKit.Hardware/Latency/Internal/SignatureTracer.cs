using NasKit.Hardware.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Latency.Internal;

/// <summary>Runs a network once under an execution trace and lists its timed units with their signatures, in execution order.</summary>
internal static class SignatureTracer
{
    public static int[] ValidateInputShape(IReadOnlyList<int> inputShape, int batchSize, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(inputShape, parameterName);
        if (inputShape.Count == 0 || inputShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"The input shape must have at least one dimension and only positive sizes, but got [{string.Join(", ", inputShape)}].", parameterName);
        }

        return [batchSize, .. inputShape];
    }

    public static List<TracedCall> Trace(Module<Tensor, Tensor> network, IReadOnlyList<int> inputShape, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        var fullShape = ValidateInputShape(inputShape, batchSize, nameof(inputShape));
        var recorder = new ModuleCallRecorder(network);
        var wasTraining = network.IsTraining;
        network.Eval();
        try
        {
            using var scope = TensorScope.Begin();
            using var noGrad = Autograd.NoGrad();
            var input = Tensor.Zeros(fullShape);
            IReadOnlyList<TracedKernel> kernels;
            using (var tracer = TensorEngine.StartTracing())
            {
                recorder.Attach(tracer);
                try
                {
                    network.Call(input);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
                {
                    throw new ArgumentException(
                        $"The network cannot run on an input of shape [{string.Join(", ", inputShape)}] (batch {batchSize}): {e.Message}", nameof(inputShape), e);
                }

                kernels = tracer.Snapshot();
            }

            var owners = recorder.Owners(kernels.Count);
            var own = new List<TracedKernel>?[recorder.Calls.Count];
            for (var i = 0; i < kernels.Count; i++)
            {
                if (owners[i] >= 0 && !kernels[i].IsBackward)
                {
                    (own[owners[i]] ??= []).Add(kernels[i]);
                }
            }

            var result = new List<TracedCall>();
            for (var c = 0; c < recorder.Calls.Count; c++)
            {
                var call = recorder.Calls[c];

                // The recorder hooks tensor-to-tensor modules only, so every recorded module has this type.
                var module = (Module<Tensor, Tensor>)call.Module;
                if (call.IsLeaf)
                {
                    result.Add(new TracedCall(call.Name, module, call.InputShape, LayerSignature.ForLeaf(module, call.InputShape), IsSelfWork: false));
                }
                else if (own[c] is { Count: > 0 } selfKernels)
                {
                    result.Add(new TracedCall(call.Name, module, call.InputShape, LayerSignature.ForSelfWork(module, call.InputShape, selfKernels), IsSelfWork: true));
                }
            }

            return result;
        }
        finally
        {
            recorder.Dispose();
            network.Train(wasTraining);
        }
    }
}
