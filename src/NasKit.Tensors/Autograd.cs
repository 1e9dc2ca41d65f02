using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;

namespace NasKit.Tensors;

/// <summary>Provides reverse-mode automatic differentiation entry points: gradient mode and gradients of outputs with respect to inputs.</summary>
public static class Autograd
{
    /// <summary>Gets whether ops on the current thread record the backward graph.</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>Turns gradient recording off until the returned scope is disposed (PyTorch's <c>torch.no_grad()</c>).</summary>
    /// <returns>The scope.</returns>
    /// <example><code>using (Autograd.NoGrad()) { var logits = model.Call(x); }</code></example>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Turns gradient recording on until the returned scope is disposed (PyTorch's <c>torch.enable_grad()</c>).</summary>
    /// <returns>The scope.</returns>
    public static GradModeScope EnableGrad() => new(enabled: true);

    /// <summary>
    /// Computes the gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/> without touching any
    /// <see cref="Tensor.Grad"/> field (PyTorch's <c>torch.autograd.grad</c>).
    /// </summary>
    /// <param name="outputs">The tensors to differentiate.</param>
    /// <param name="inputs">The tensors to differentiate with respect to; leaves or intermediate results.</param>
    /// <param name="gradOutputs">The gradients of the outputs; null entries (or a null array) mean ones, allowed for one-element outputs only.</param>
    /// <param name="retainGraph">Whether to keep the graph for another backward pass.</param>
    /// <param name="allowUnused">Whether an input that the outputs do not depend on gets null instead of an error.</param>
    /// <returns>One gradient per input, in order.</returns>
    /// <exception cref="ArgumentException">Counts or shapes of the arguments do not match.</exception>
    /// <exception cref="InvalidOperationException">An output or input does not require a gradient, or an input is unused and <paramref name="allowUnused"/> is false.</exception>
    public static Tensor?[] Grad(
        IReadOnlyList<Tensor> outputs,
        IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor?>? gradOutputs = null,
        bool retainGraph = false,
        bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (outputs.Count == 0)
        {
            ThrowHelper.ThrowArgument("At least one output is needed.", nameof(outputs));
        }

        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
        {
            ThrowHelper.ThrowArgument($"{gradOutputs.Count} output gradients were given for {outputs.Count} outputs.", nameof(gradOutputs));
        }

        var roots = outputs.ToArray();
        var grads = gradOutputs?.ToArray() ?? new Tensor?[roots.Length];
        return AutogradEngine.Run(roots, grads, retainGraph, inputs.ToArray(), allowUnused)!;
    }

    /// <summary>Computes the gradient of one output with respect to one input; see <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool, bool)"/>.</summary>
    /// <param name="output">The tensor to differentiate.</param>
    /// <param name="input">The tensor to differentiate with respect to.</param>
    /// <param name="gradOutput">The gradient of the output; null means ones (one-element outputs only).</param>
    /// <param name="retainGraph">Whether to keep the graph for another backward pass.</param>
    /// <returns>The gradient.</returns>
    public static Tensor Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool retainGraph = false) =>
        Grad([output], [input], [gradOutput], retainGraph)[0]!;

    /// <summary>Backpropagates from several outputs at once, accumulating into the leaves' <see cref="Tensor.Grad"/>.</summary>
    /// <param name="outputs">The tensors to differentiate.</param>
    /// <param name="gradOutputs">Their gradients; null entries mean ones (one-element outputs only).</param>
    /// <param name="retainGraph">Whether to keep the graph for another backward pass.</param>
    public static void Backward(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor?>? gradOutputs = null, bool retainGraph = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
        {
            ThrowHelper.ThrowArgument($"{gradOutputs.Count} output gradients were given for {outputs.Count} outputs.", nameof(gradOutputs));
        }

        AutogradEngine.Run(outputs.ToArray(), gradOutputs?.ToArray() ?? new Tensor?[outputs.Count], retainGraph, inputs: null, allowUnused: true);
    }
}
