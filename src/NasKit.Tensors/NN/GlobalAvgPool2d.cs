namespace NasKit.Tensors.NN;

/// <summary>Represents global average pooling that also flattens: [N, C, H, W] → [N, C] (AdaptiveAvgPool2d(1) followed by Flatten).</summary>
public sealed class GlobalAvgPool2d : Module<Tensor, Tensor>
{
    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.GlobalAvgPool2d(input);
}
