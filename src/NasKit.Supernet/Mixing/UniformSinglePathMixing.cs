using NasKit.Supernet.Mixing.Internal;
using NasKit.Tensors;

namespace NasKit.Supernet.Mixing;

/// <summary>
/// SPOS/RSPS single-path sampling: one operation is drawn uniformly at random and gets weight 1, every other weight is 0; the logits
/// are ignored and receive no gradient.
/// </summary>
public sealed class UniformSinglePathMixing : IMixingRule
{
    private readonly Generator _generator;

    /// <summary>Initializes a new instance of the <see cref="UniformSinglePathMixing"/> class.</summary>
    /// <param name="generator">The random source of the draws; null uses a generator seeded with 0.</param>
    public UniformSinglePathMixing(Generator? generator = null) => _generator = generator ?? new Generator(0);

    /// <inheritdoc/>
    public string Name => "uniform-single-path";

    /// <summary>Gets the random source of the draws.</summary>
    public Generator Generator => _generator;

    /// <inheritdoc/>
    public MixingWeights Mix(Tensor logits)
    {
        LogitsGuard.EnsureVector(logits, nameof(logits));
        var k = logits.NumberOfElements;
        var values = new float[k];
        values[_generator.NextInt(k)] = 1f;
        return new MixingWeights(Tensor.FromArray(values, k));
    }
}
