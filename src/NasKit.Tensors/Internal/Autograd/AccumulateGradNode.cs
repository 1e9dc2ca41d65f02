namespace NasKit.Tensors.Internal.Autograd;

/// <summary>The node of a leaf tensor that requires a gradient: backward accumulates into <see cref="Tensor.Grad"/>.</summary>
internal sealed class AccumulateGradNode(Tensor leaf) : GradNode([])
{
    public Tensor Leaf { get; } = leaf;

    public override string Name => "AccumulateGrad";

    public override Tensor?[] Apply(Tensor gradOutput) => [];
}
