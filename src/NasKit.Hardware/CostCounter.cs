using NasKit.Hardware.Internal;
using NasKit.SearchSpace;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware;

/// <summary>
/// Counts the costs of a network by running one forward pass in evaluation mode, without gradients, under an
/// <see cref="ExecutionTracer"/>: parameters, MACs and other operations per module call, activation sizes, peak live activation
/// memory and model size. The counting convention is described on <see cref="ModelCost"/>.
/// </summary>
/// <remarks>
/// Because the counts come from the kernels that actually run, they see every operation a module performs, including functional
/// calls inside <c>Forward</c> (the sums of a cell, a residual addition) and layers whose output is never used. The network is put in
/// evaluation mode for the pass and returned to its previous mode afterwards; its weights and buffers are not changed.
/// </remarks>
/// <example>
/// <code>
/// var space = new Nb201SearchSpace();
/// var cost = CostCounter.Count(space, space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"));
/// Console.WriteLine($"{cost.Parameters} parameters, {cost.Macs} MACs, peak {cost.PeakActivationBytes} bytes");
/// </code>
/// </example>
public static class CostCounter
{
    /// <summary>Counts the costs of a network for inputs of one shape.</summary>
    /// <param name="model">The network.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension (for example <c>[3, 32, 32]</c>).</param>
    /// <param name="options">The options; null uses the defaults (batch 1, 4 bytes per activation element).</param>
    /// <returns>The costs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The input shape is empty or has a non-positive dimension, or the network cannot run on it
    /// (the message says why, for example an input too small for its downsampling).</exception>
    /// <exception cref="InvalidOperationException">A kernel profiler or another execution trace is active.</exception>
    public static ModelCost Count(Module<Tensor, Tensor> model, IReadOnlyList<int> inputShape, CostCountingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Count == 0 || inputShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"The input shape must have at least one dimension and only positive sizes, but got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        }

        options ??= new CostCountingOptions();
        var recorder = new ModuleCallRecorder(model);
        var wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var scope = TensorScope.Begin();
            using var noGrad = Autograd.NoGrad();
            var input = Tensor.Zeros([options.BatchSize, .. inputShape]);
            using var tracer = TensorEngine.StartTracing();
            recorder.Attach(tracer);
            var inputId = tracer.IdOf(input);
            var constants = new HashSet<long>();
            foreach (var p in model.Parameters())
            {
                constants.Add(tracer.IdOf(p));
            }

            foreach (var b in model.Buffers())
            {
                constants.Add(tracer.IdOf(b));
            }

            Tensor output;
            try
            {
                output = model.Call(input);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                throw new ArgumentException(
                    $"The network cannot run on an input of shape [{string.Join(", ", inputShape)}] (batch {options.BatchSize}): {e.Message}", nameof(inputShape), e);
            }

            var outputId = tracer.IdOf(output);
            var kernels = tracer.Snapshot();
            return TraceAnalysis.Summarize(model, recorder, kernels, constants, inputId, input.NumberOfElements, outputId, options);
        }
        finally
        {
            recorder.Dispose();
            model.Train(wasTraining);
        }
    }

    /// <summary>Builds an architecture's network with its space and counts its costs at the space's input shape.</summary>
    /// <param name="space">The search space.</param>
    /// <param name="architecture">The architecture.</param>
    /// <param name="options">The options; null uses the defaults.</param>
    /// <returns>The costs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="space"/> or <paramref name="architecture"/> is null.</exception>
    /// <exception cref="ArgumentException">The network cannot run on the space's input shape.</exception>
    public static ModelCost Count(ISearchSpace space, Architecture architecture, CostCountingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(architecture);
        using var network = space.Build(architecture);
        return Count(network, space.GetInputShape(architecture), options);
    }
}
