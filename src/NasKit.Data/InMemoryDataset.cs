using NasKit.Data.Internal;

namespace NasKit.Data;

/// <summary>
/// Represents a dataset held entirely in memory: the features of all samples in one contiguous float32 array
/// (N × sample shape, row-major) and one integer label per sample.
/// </summary>
/// <remarks>
/// <para>The constructor takes ownership of the arrays it is given, without copying: a training set of 60,000 MNIST
/// images is 188 MB of floats, so a second copy is worth avoiding. Do not keep writing to the arrays after handing them over,
/// except through <see cref="Features"/> (for example an in-place standardisation).</para>
/// <para>Reads are thread-safe while nothing writes to <see cref="Features"/>.</para>
/// </remarks>
public sealed class InMemoryDataset : IDataset
{
    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly int[] _sampleShape;

    /// <summary>Initializes a new instance of the <see cref="InMemoryDataset"/> class over the given arrays (no copy).</summary>
    /// <param name="features">The features of all samples, contiguous: <c>labels.Length * product(sampleShape)</c> floats.</param>
    /// <param name="labels">One label per sample, each in [0, <paramref name="numClasses"/>).</param>
    /// <param name="sampleShape">The shape of one sample, without the batch dimension (e.g. [1, 28, 28]); every dimension > 0.</param>
    /// <param name="numClasses">The number of classes; at least 1.</param>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is less than 1, or a label is outside [0, <paramref name="numClasses"/>).</exception>
    /// <exception cref="ArgumentException">The sample shape is empty or has a dimension &lt;= 0, or the feature count does not match.</exception>
    public InMemoryDataset(float[] features, int[] labels, int[] sampleShape, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        var sampleSize = DataGuard.SampleSizeOf(sampleShape, nameof(sampleShape));
        if ((long)labels.Length * sampleSize != features.Length)
        {
            throw new ArgumentException(
                $"'features.Length == labels.Length * product(sampleShape)' must hold, but got features.Length={features.Length}, " +
                $"labels.Length={labels.Length}, sampleShape={DataGuard.FormatShape(sampleShape)} (product {sampleSize}).",
                nameof(features));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)numClasses)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[i], $"Every label must lie in [0, numClasses={numClasses}), but labels[{i}]={labels[i]}.");
            }
        }

        _features = features;
        _labels = labels;
        _sampleShape = (int[])sampleShape.Clone();
        SampleSize = sampleSize;
        NumClasses = numClasses;
    }

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => _sampleShape;

    /// <inheritdoc/>
    public int SampleSize { get; }

    /// <inheritdoc/>
    public int NumClasses { get; }

    /// <summary>Gets the features of all samples (N × sample shape, row-major); writes change the dataset in place.</summary>
    public Span<float> Features => _features;

    /// <summary>Gets the labels of all samples.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Gets the features of one sample.</summary>
    /// <param name="index">The sample index, in [0, <see cref="Count"/>).</param>
    /// <returns>The <see cref="SampleSize"/> features of the sample.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<float> GetFeatures(int index)
    {
        DataGuard.CheckIndex(index, Count, nameof(index));
        return _features.AsSpan(index * SampleSize, SampleSize);
    }

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        DataGuard.CheckIndex(index, Count, nameof(index));
        return _labels[index];
    }

    /// <inheritdoc/>
    public void CopySamples(ReadOnlySpan<int> indices, Span<float> features, Span<int> labels)
    {
        var size = SampleSize;
        DataGuard.CheckBatchDestinations(indices.Length, size, features, labels);
        var count = Count;
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            DataGuard.CheckIndex(index, count, nameof(indices));
            _features.AsSpan(index * size, size).CopyTo(features.Slice(i * size, size));
            labels[i] = _labels[index];
        }
    }
}
