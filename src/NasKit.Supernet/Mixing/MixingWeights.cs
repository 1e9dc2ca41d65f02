using NasKit.Tensors;

namespace NasKit.Supernet.Mixing;

/// <summary>
/// Holds the operation weights of one edge as produced by an <see cref="IMixingRule"/>: the differentiable weight vector and a copy
/// of its values, from which a supernet learns which operations it can skip.
/// </summary>
public sealed class MixingWeights : IDisposable
{
    private readonly float[] _values;

    /// <summary>Initializes a new instance of the <see cref="MixingWeights"/> class; it takes ownership of <paramref name="weights"/>.</summary>
    /// <param name="weights">The weights, shape [K].</param>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is not a non-empty vector.</exception>
    public MixingWeights(Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Rank != 1 || weights.NumberOfElements == 0)
        {
            throw new ArgumentException($"Mixing weights must be a non-empty vector [K], but got shape [{string.Join(", ", weights.Shape)}].", nameof(weights));
        }

        Weights = weights;
        _values = weights.ToArray();
    }

    /// <summary>Gets the weight vector, shape [K]; it carries the gradient path to the logits when they require one.</summary>
    public Tensor Weights { get; }

    /// <summary>Gets the number of operations K.</summary>
    public int Count => _values.Length;

    /// <summary>Gets the weights' values (a copy taken at construction).</summary>
    public IReadOnlyList<float> Values => _values;

    /// <summary>Gets the number of operations whose weight is not exactly zero.</summary>
    public int ActiveCount => _values.Count(v => v != 0f);

    /// <summary>Gets whether the weight of an operation is exactly zero, so that the operation need not be computed.</summary>
    /// <param name="operation">The operation index, 0..K-1.</param>
    /// <returns>True when the weight is exactly 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..K-1.</exception>
    public bool IsZero(int operation)
    {
        if ((uint)operation >= (uint)_values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, $"The operation index must be in 0..{_values.Length - 1}, but got {operation}.");
        }

        return _values[operation] == 0f;
    }

    /// <summary>Releases the weight tensor (deferred while an autograd graph still needs it).</summary>
    public void Dispose() => Weights.Dispose();
}
