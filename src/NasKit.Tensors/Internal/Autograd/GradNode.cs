namespace NasKit.Tensors.Internal.Autograd;

/// <summary>
/// A node of the backward graph: it receives the gradient of one tensor and produces gradients for the
/// inputs of the op that made that tensor. Leaves have an <see cref="AccumulateGradNode"/> instead.
/// </summary>
internal abstract class GradNode
{
    private static long s_sequence;

    protected GradNode(GradNode?[] next)
    {
        Next = next;
        Sequence = Interlocked.Increment(ref s_sequence);
    }

    /// <summary>Gets the creation order; later nodes are processed first when several are ready.</summary>
    public long Sequence { get; }

    /// <summary>Gets the nodes of the op's inputs, one per input; null where the input needs no gradient.</summary>
    public GradNode?[] Next { get; }

    /// <summary>Gets the op name shown in diagnostics, e.g. "Conv2dBackward".</summary>
    public abstract string Name { get; }

    /// <summary>Gets the hooks registered on the tensor this node belongs to; each may replace the gradient.</summary>
    public List<Func<Tensor, Tensor?>>? Hooks { get; set; }

    /// <summary>Gets or sets the non-leaf tensor that asked to keep its gradient (<see cref="Tensor.RetainGrad"/>).</summary>
    public Tensor? RetainGradTarget { get; set; }

    /// <summary>Computes the gradients of the inputs from the gradient of the output.</summary>
    public abstract Tensor?[] Apply(Tensor gradOutput);

    /// <summary>Drops saved tensors after a backward pass that did not retain the graph.</summary>
    public virtual void Release()
    {
    }
}
