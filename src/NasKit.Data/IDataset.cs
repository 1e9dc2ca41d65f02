namespace NasKit.Data;

/// <summary>
/// Represents a finite, indexable set of labelled samples for classification, each a float32 array of the same shape.
/// </summary>
/// <remarks>
/// <para>Samples are addressed by index 0..<see cref="Count"/>-1. A sample's features are <see cref="SampleSize"/> floats laid out
/// row-major in <see cref="SampleShape"/> (channels first for images, e.g. [1, 28, 28]); its label is an integer in
/// [0, <see cref="NumClasses"/>).</para>
/// <para>Implementations are immutable in shape and count. Reading (<see cref="GetLabel"/>, <see cref="CopySamples"/>) from
/// several threads at once is safe for the implementations in this assembly as long as nobody mutates the underlying
/// features at the same time.</para>
/// </remarks>
public interface IDataset
{
    /// <summary>Gets the number of samples.</summary>
    int Count { get; }

    /// <summary>Gets the shape of one sample, without the batch dimension (e.g. [1, 28, 28]).</summary>
    IReadOnlyList<int> SampleShape { get; }

    /// <summary>Gets the number of floats in one sample: the product of <see cref="SampleShape"/>.</summary>
    int SampleSize { get; }

    /// <summary>Gets the number of classes; every label lies in [0, <see cref="NumClasses"/>).</summary>
    int NumClasses { get; }

    /// <summary>Gets the label of one sample.</summary>
    /// <param name="index">The sample index, in [0, <see cref="Count"/>).</param>
    /// <returns>The label, in [0, <see cref="NumClasses"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    int GetLabel(int index);

    /// <summary>Copies the samples at <paramref name="indices"/>, in that order, into a batch of features and labels.</summary>
    /// <param name="indices">The sample indices, each in [0, <see cref="Count"/>); repeats are allowed.</param>
    /// <param name="features">The destination for the features: exactly <c>indices.Length * SampleSize</c> floats; sample <c>i</c> goes to
    /// <c>[i * SampleSize, (i + 1) * SampleSize)</c>.</param>
    /// <param name="labels">The destination for the labels: exactly <c>indices.Length</c> values.</param>
    /// <exception cref="ArgumentException">A destination has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Count"/>).</exception>
    void CopySamples(ReadOnlySpan<int> indices, Span<float> features, Span<int> labels);
}
