namespace NasKit.Tensors.Internal.Autograd;

/// <summary>
/// Runs the backward graph: topological order over the nodes reachable from the roots, gradients summed
/// per node before the node runs, intermediate gradients disposed as soon as they are consumed.
/// </summary>
internal static class AutogradEngine
{
    /// <summary>
    /// Backpropagates from <paramref name="roots"/>. With <paramref name="inputs"/> null, gradients accumulate into the
    /// leaves' <see cref="Tensor.Grad"/>; otherwise the gradients of <paramref name="inputs"/> are returned and no
    /// <c>.Grad</c> field is touched.
    /// </summary>
    public static Tensor?[]? Run(Tensor[] roots, Tensor?[] rootGrads, bool retainGraph, Tensor[]? inputs, bool allowUnused)
    {
        var rootNodes = new GradNode[roots.Length];
        for (var i = 0; i < roots.Length; i++)
        {
            if (!roots[i].RequiresGrad)
            {
                ThrowHelper.ThrowInvalidOperation(
                    $"Output {i} (shape {ThrowHelper.FormatShape(roots[i].ShapeSpan)}) does not require grad and has no grad_fn: nothing to differentiate. " +
                    "Did you compute it under Autograd.NoGrad(), detach it, or forget RequiresGrad on the inputs?");
            }

            rootNodes[i] = roots[i].GradEdge();
        }

        Dictionary<GradNode, int>? targetIndex = null;
        Tensor?[]? captured = null;
        if (inputs is not null)
        {
            targetIndex = new Dictionary<GradNode, int>(ReferenceEqualityComparer.Instance);
            captured = new Tensor?[inputs.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                if (!inputs[i].RequiresGrad)
                {
                    ThrowHelper.ThrowInvalidOperation($"Input {i} (shape {ThrowHelper.FormatShape(inputs[i].ShapeSpan)}) does not require grad, so no gradient can be computed for it.");
                }

                targetIndex.TryAdd(inputs[i].GradEdge(), i);
            }
        }

        // 1. Discover reachable nodes and which of them lead to a target.
        var order = new List<GradNode>();
        var visited = new HashSet<GradNode>(ReferenceEqualityComparer.Instance);
        var needed = new HashSet<GradNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(GradNode Node, int Child)>();
        foreach (var root in rootNodes)
        {
            if (!visited.Add(root))
            {
                continue;
            }

            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, child) = stack.Pop();
                if (child < node.Next.Length)
                {
                    stack.Push((node, child + 1));
                    var next = node.Next[child];
                    if (next is not null && visited.Add(next))
                    {
                        stack.Push((next, 0));
                    }

                    continue;
                }

                // Post-order: all children are done.
                var isNeeded = targetIndex is null ? true : targetIndex.ContainsKey(node);
                if (!isNeeded)
                {
                    foreach (var next in node.Next)
                    {
                        if (next is not null && needed.Contains(next))
                        {
                            isNeeded = true;
                            break;
                        }
                    }
                }

                if (isNeeded)
                {
                    needed.Add(node);
                }

                order.Add(node);
            }
        }

        // 2. Dependency counts over needed edges.
        var dependencies = new Dictionary<GradNode, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
        {
            if (!needed.Contains(node))
            {
                continue;
            }

            foreach (var next in node.Next)
            {
                if (next is not null && needed.Contains(next))
                {
                    dependencies[next] = dependencies.GetValueOrDefault(next) + 1;
                }
            }
        }

        // 3. Seed the root gradients.
        var pending = new Dictionary<GradNode, PendingGrad>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < roots.Length; i++)
        {
            var node = rootNodes[i];
            var grad = rootGrads[i];
            var owned = false;
            if (grad is null)
            {
                if (roots[i].NumberOfElements != 1)
                {
                    ThrowHelper.ThrowInvalidOperation(
                        $"Backward() without an explicit gradient needs a scalar (one-element) output, but output {i} has shape {ThrowHelper.FormatShape(roots[i].ShapeSpan)}. " +
                        "Reduce it (e.g. .Sum() or .Mean()) or pass a gradient of the same shape.");
                }

                grad = Tensor.OnesLike(roots[i]);
                owned = true;
            }
            else if (!grad.ShapeSpan.SequenceEqual(roots[i].ShapeSpan))
            {
                ThrowHelper.ThrowArgument(
                    $"The gradient for output {i} has shape {ThrowHelper.FormatShape(grad.ShapeSpan)}, but the output has shape {ThrowHelper.FormatShape(roots[i].ShapeSpan)}.");
            }

            if (needed.Contains(node))
            {
                Accumulate(pending, node, grad, owned);
            }
        }

        var ready = new PriorityQueue<GradNode, long>();
        foreach (var node in rootNodes)
        {
            if (needed.Contains(node) && dependencies.GetValueOrDefault(node) == 0 && pending.ContainsKey(node))
            {
                ready.Enqueue(node, -node.Sequence);
                dependencies[node] = -1; // queued
            }
        }

        var wasEnabled = GradMode.IsEnabled;
        GradMode.IsEnabled = false;
        try
        {
            while (ready.TryDequeue(out var node, out _))
            {
                if (!pending.Remove(node, out var entry))
                {
                    continue;
                }

                var grad = entry.Grad;
                var owned = entry.Owned;

                if (node.Hooks is not null)
                {
                    foreach (var hook in node.Hooks)
                    {
                        var replaced = hook(grad);
                        if (replaced is not null && !ReferenceEquals(replaced, grad))
                        {
                            if (!replaced.ShapeSpan.SequenceEqual(grad.ShapeSpan))
                            {
                                ThrowHelper.ThrowInvalidOperation(
                                    $"A gradient hook returned shape {ThrowHelper.FormatShape(replaced.ShapeSpan)}, but the gradient has shape {ThrowHelper.FormatShape(grad.ShapeSpan)}.");
                            }

                            if (owned)
                            {
                                grad.Dispose();
                            }

                            grad = replaced;
                            owned = false;
                        }
                    }
                }

                var keep = false;
                if (targetIndex is not null && targetIndex.TryGetValue(node, out var inputIdx))
                {
                    captured![inputIdx] = owned ? grad : grad.Clone();
                    keep = owned;
                    if (!keep)
                    {
                        owned = false;
                    }
                }
                else if (targetIndex is null && node.RetainGradTarget is { } retained)
                {
                    AccumulateInto(retained, grad, owned: false);
                }

                if (node is AccumulateGradNode acc)
                {
                    if (targetIndex is null)
                    {
                        AccumulateInto(acc.Leaf, grad, owned);
                        keep = owned; // ownership moved into .Grad (or disposed there)
                    }
                }
                else
                {
                    Tensor?[] inputGrads;
                    GradRecorder.NeededInputs = targetIndex is null ? null : NeededInputs(node, needed);
                    try
                    {
                        inputGrads = node.Apply(grad);
                    }
                    finally
                    {
                        GradRecorder.NeededInputs = null;
                    }

                    for (var i = 0; i < node.Next.Length; i++)
                    {
                        var next = node.Next[i];
                        var g = i < inputGrads.Length ? inputGrads[i] : null;
                        if (next is null || !needed.Contains(next))
                        {
                            g?.Dispose();
                            continue;
                        }

                        if (g is not null)
                        {
                            Accumulate(pending, next, g, owned: true);
                        }

                        var remaining = dependencies[next] - 1;
                        dependencies[next] = remaining;
                        if (remaining == 0)
                        {
                            if (pending.ContainsKey(next))
                            {
                                ready.Enqueue(next, -next.Sequence);
                            }
                        }
                    }

                    if (!retainGraph)
                    {
                        node.Release();
                    }
                }

                if (owned && !keep)
                {
                    grad.Dispose();
                }
            }
        }
        finally
        {
            GradMode.IsEnabled = wasEnabled;
            foreach (var leftover in pending.Values)
            {
                if (leftover.Owned)
                {
                    leftover.Grad.Dispose();
                }
            }
        }

        if (captured is not null && !allowUnused)
        {
            for (var i = 0; i < captured.Length; i++)
            {
                if (captured[i] is null)
                {
                    ThrowHelper.ThrowInvalidOperation(
                        $"Input {i} (shape {ThrowHelper.FormatShape(inputs![i].ShapeSpan)}) is not used in the graph of the outputs. Pass allowUnused: true to get null for it.");
                }
            }
        }

        return captured;
    }

    // Which of the node's inputs lead to a requested gradient; null when all of them do (the common case, nothing to skip).
    private static bool[]? NeededInputs(GradNode node, HashSet<GradNode> needed)
    {
        bool[]? mask = null;
        for (var i = 0; i < node.Next.Length; i++)
        {
            var next = node.Next[i];
            if (next is null || !needed.Contains(next))
            {
                mask ??= CreateAllTrue(node.Next.Length);
                mask[i] = false;
            }
        }

        return mask;

        static bool[] CreateAllTrue(int length)
        {
            var m = new bool[length];
            Array.Fill(m, true);
            return m;
        }
    }

    private static void Accumulate(Dictionary<GradNode, PendingGrad> pending, GradNode node, Tensor grad, bool owned)
    {
        if (!pending.TryGetValue(node, out var existing))
        {
            pending[node] = new PendingGrad(grad, owned);
            return;
        }

        if (existing.Owned && existing.Grad.HasExclusiveStorage && existing.Grad.IsContiguous)
        {
            existing.Grad.AddInPlaceUnchecked(grad);
            if (owned)
            {
                grad.Dispose();
            }

            return;
        }

        var sum = existing.Grad.Add(grad);
        if (existing.Owned)
        {
            existing.Grad.Dispose();
        }

        if (owned)
        {
            grad.Dispose();
        }

        pending[node] = new PendingGrad(sum, true);
    }

    /// <summary>Adds <paramref name="grad"/> into <paramref name="target"/>.Grad, creating it (outside any scope) when absent.</summary>
    private static void AccumulateInto(Tensor target, Tensor grad, bool owned)
    {
        var existing = target.Grad;
        if (existing is null || existing.IsDisposed)
        {
            Tensor stored;
            if (owned && grad.HasExclusiveStorage && grad.IsContiguous)
            {
                stored = grad;
            }
            else
            {
                stored = grad.Contiguous(forceCopy: true);
                if (owned)
                {
                    grad.Dispose();
                }
            }

            TensorScope.Release(stored);
            target.SetGradUnchecked(stored);
            return;
        }

        existing.AddInPlaceUnchecked(grad);
        if (owned)
        {
            grad.Dispose();
        }
    }

    private readonly record struct PendingGrad(Tensor Grad, bool Owned);
}
