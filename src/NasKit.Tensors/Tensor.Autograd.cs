using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;

namespace NasKit.Tensors;

public partial class Tensor
{
    private bool _requiresGrad;
    private GradNode? _gradFn;
    private AccumulateGradNode? _accumulator;
    private Tensor? _grad;

    /// <summary>Gets or sets whether gradients are computed for this tensor. Only leaf tensors can be changed.</summary>
    /// <exception cref="InvalidOperationException">Set on a non-leaf tensor.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (_gradFn is not null)
            {
                ThrowHelper.ThrowInvalidOperation(
                    $"RequiresGrad can only be changed on leaf tensors; this tensor was produced by {_gradFn.Name}. Use Detach() to get a leaf.");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>Gets whether the tensor is a leaf of the graph (not produced by a recorded op).</summary>
    public bool IsLeaf => _gradFn is null;

    /// <summary>Gets the name of the backward function that produced this tensor, or null for leaves.</summary>
    public string? GradFunctionName => _gradFn?.Name;

    /// <summary>
    /// Gets or sets the gradient accumulated by <see cref="Backward(Tensor?, bool)"/> (leaves, and non-leaves after <see cref="RetainGrad"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The assigned gradient's shape differs from the tensor's.</exception>
    public Tensor? Grad
    {
        get => _grad;
        set
        {
            if (value is not null && !value.ShapeSpan.SequenceEqual(_shape))
            {
                ThrowHelper.ThrowArgument($"A gradient of shape {ThrowHelper.FormatShape(value.ShapeSpan)} cannot be assigned to a tensor of shape {ThrowHelper.FormatShape(_shape)}.");
            }

            _grad = value;
        }
    }

    internal GradNode? GradFn => _gradFn;

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires one, accumulating into their <see cref="Grad"/>.
    /// </summary>
    /// <param name="gradient">The gradient of this tensor; may be omitted for one-element tensors (ones).</param>
    /// <param name="retainGraph">Whether to keep the graph so that backward can run through it again.</param>
    /// <exception cref="InvalidOperationException">The tensor does not require grad, or is not a scalar and no gradient was given.</exception>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        AutogradEngine.Run([this], [gradient], retainGraph, inputs: null, allowUnused: true);

    /// <summary>Returns a tensor that shares this tensor's storage but is cut off from the graph (a leaf that does not require grad).</summary>
    /// <returns>The detached tensor.</returns>
    public Tensor Detach() => Alias();

    /// <summary>Asks a non-leaf tensor to keep its gradient in <see cref="Grad"/> after backward.</summary>
    public void RetainGrad()
    {
        if (!_requiresGrad)
        {
            ThrowHelper.ThrowInvalidOperation("RetainGrad() was called on a tensor that does not require grad.");
        }

        if (_gradFn is not null)
        {
            _gradFn.RetainGradTarget = this;
        }
    }

    /// <summary>
    /// Registers a hook that runs when the gradient of this tensor has been computed. The hook may return a replacement
    /// gradient of the same shape, or null to keep it; it runs with gradient recording off.
    /// </summary>
    /// <param name="hook">The hook.</param>
    /// <returns>A handle that removes the hook when disposed.</returns>
    /// <exception cref="InvalidOperationException">The tensor does not require grad.</exception>
    public HookHandle RegisterHook(Func<Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!_requiresGrad)
        {
            ThrowHelper.ThrowInvalidOperation("Cannot register a gradient hook on a tensor that does not require grad.");
        }

        var node = GradEdge();
        node.Hooks ??= [];
        node.Hooks.Add(hook);
        return new HookHandle(() => node.Hooks?.Remove(hook));
    }

    /// <summary>Gets the node through which gradients reach this tensor (its grad_fn, or its accumulator when a leaf).</summary>
    internal GradNode GradEdge()
    {
        if (_gradFn is not null)
        {
            return _gradFn;
        }

        return _accumulator ??= new AccumulateGradNode(this);
    }

    internal void SetGradFn(GradNode node)
    {
        _gradFn = node;
        _requiresGrad = true;
    }

    internal void SetGradUnchecked(Tensor? grad) => _grad = grad;
}
