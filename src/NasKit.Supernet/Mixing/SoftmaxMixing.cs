using NasKit.Supernet.Mixing.Internal;
using NasKit.Tensors;

namespace NasKit.Supernet.Mixing;

/// <summary>DARTS's continuous relaxation: the weights are softmax(α) over the edge's operations, all of them positive.</summary>
public sealed class SoftmaxMixing : IMixingRule
{
    /// <inheritdoc/>
    public string Name => "softmax";

    /// <inheritdoc/>
    public MixingWeights Mix(Tensor logits)
    {
        LogitsGuard.EnsureVector(logits, nameof(logits));
        return new MixingWeights(logits.Softmax(0));
    }
}
