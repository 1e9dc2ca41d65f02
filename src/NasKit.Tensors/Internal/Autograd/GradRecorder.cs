using System.Runtime.CompilerServices;

namespace NasKit.Tensors.Internal.Autograd;

/// <summary>Helpers that ops use to attach backward nodes to their results.</summary>
internal static class GradRecorder
{
    [ThreadStatic]
    private static bool[]? t_neededInputs;

    /// <summary>
    /// Gets or sets, while a backward node runs, which of its inputs' gradients the current pass uses (null: all of them).
    /// <see cref="AutogradEngine"/> sets it when <c>Autograd.Grad</c> asked for gradients that do not depend on some inputs
    /// (for example the architecture parameters only, not the weights they flow past).
    /// </summary>
    internal static bool[]? NeededInputs
    {
        get => t_neededInputs;
        set => t_neededInputs = value;
    }

    /// <summary>
    /// Gets whether the backward node now running must return a gradient for its input <paramref name="index"/>. Expensive
    /// backward functions (convolutions) skip the work for inputs whose gradient no requested input depends on; returning it
    /// anyway is harmless, since the engine drops it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NeedsInputGradient(int index) => t_neededInputs is not { } mask || (uint)index >= (uint)mask.Length || mask[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Needs(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Needs(Tensor a, Tensor? b) => (a.RequiresGrad || (b is not null && b.RequiresGrad)) && GradMode.IsEnabled;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Needs(Tensor a, Tensor? b, Tensor? c) =>
        (a.RequiresGrad || (b is not null && b.RequiresGrad) || (c is not null && c.RequiresGrad)) && GradMode.IsEnabled;

    public static bool Needs(ReadOnlySpan<Tensor> tensors)
    {
        if (!GradMode.IsEnabled)
        {
            return false;
        }

        foreach (var t in tensors)
        {
            if (t.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Attaches a backward node to <paramref name="result"/>. <paramref name="backward"/> receives the gradient of
    /// <paramref name="result"/> and returns one gradient per input (null for inputs that need none). It runs with
    /// gradient recording off, and must return fresh tensor objects, never the gradient it received.
    /// </summary>
    public static Tensor Record(Tensor result, string name, ReadOnlySpan<Tensor?> inputs, Func<Tensor, Tensor?[]> backward, params Tensor?[] saved)
    {
        var next = new GradNode?[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            if (input is not null && input.RequiresGrad)
            {
                next[i] = input.GradEdge();
            }
        }

        var kept = Array.FindAll(saved, t => t is not null)!;
        result.SetGradFn(new FunctionNode(name, next, backward, kept!));
        return result;
    }

    /// <summary>Attaches a backward node for a single-input op.</summary>
    public static Tensor Record(Tensor result, string name, Tensor input, Func<Tensor, Tensor?> backward, params Tensor?[] saved) =>
        Record(result, name, [input], g => [backward(g)], saved);

    /// <summary>Reduces <paramref name="grad"/> to <paramref name="shape"/> by summing over broadcast dimensions.</summary>
    public static Tensor SumToShape(Tensor grad, ReadOnlySpan<int> shape)
    {
        if (grad.ShapeSpan.SequenceEqual(shape))
        {
            return grad.Alias();
        }

        var rank = grad.Rank;
        var lead = rank - shape.Length;
        var dims = new List<int>();
        for (var i = 0; i < rank; i++)
        {
            if (i < lead || (shape[i - lead] == 1 && grad.ShapeSpan[i] != 1))
            {
                dims.Add(i);
            }
        }

        var summed = dims.Count == 0 ? grad.Alias() : grad.Sum([.. dims], keepDim: true);
        if (summed.ShapeSpan.SequenceEqual(shape))
        {
            return summed;
        }

        var reshaped = summed.Reshape(shape.ToArray());
        summed.Dispose();
        return reshaped;
    }
}
