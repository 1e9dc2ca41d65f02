using NasKit.Tensors;

namespace NasKit.Supernet.Mixing;

/// <summary>
/// Maps the architecture logits of one edge to the weights of its candidate operations, differentiably with respect to the logits.
/// </summary>
/// <remarks>
/// A rule may be stochastic (Gumbel-softmax, single-path sampling); it then owns a seeded <see cref="Generator"/>, so a sequence of
/// calls is reproducible. Weights that are exactly zero (<see cref="MixingWeights.IsZero"/>) let a supernet skip the operation in the
/// forward and backward pass.
/// </remarks>
public interface IMixingRule
{
    /// <summary>Gets the rule's short name, for example <c>softmax</c>.</summary>
    string Name { get; }

    /// <summary>Computes the operation weights of one edge.</summary>
    /// <param name="logits">The edge's architecture logits, shape [K]; gradients flow back to it when it requires a gradient.</param>
    /// <returns>The weights, shape [K], with their exact-zero pattern.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logits"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is not a non-empty vector.</exception>
    MixingWeights Mix(Tensor logits);
}
