using System.Buffers;
using NasKit.Data.Internal;

namespace NasKit.Data;

/// <summary>Represents a view of selected samples of another dataset, in a given order, without copying their features.</summary>
/// <remarks>
/// Sample <c>i</c> of the subset is sample <c>Indices[i]</c> of <see cref="Source"/>. A subset of a subset refers straight to the
/// innermost source, so views never chain. Changes to the source's features (for example an in-place standardisation) show
/// through the view. Thread-safety is that of the source.
/// </remarks>
public sealed class SubsetDataset : IDataset
{
    private readonly int[] _indices;

    /// <summary>Initializes a new instance of the <see cref="SubsetDataset"/> class over the samples <paramref name="indices"/> of <paramref name="source"/>.</summary>
    /// <param name="source">The dataset to view.</param>
    /// <param name="indices">The source indices, each in [0, <c>source.Count</c>); they are copied, and repeats are allowed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <c>source.Count</c>).</exception>
    public SubsetDataset(IDataset source, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (var i = 0; i < indices.Length; i++)
        {
            DataGuard.CheckIndex(indices[i], source.Count, nameof(indices));
        }

        if (source is SubsetDataset inner)
        {
            // Compose the index maps so that every view refers directly to a dataset that holds data.
            _indices = new int[indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                _indices[i] = inner._indices[indices[i]];
            }

            Source = inner.Source;
        }
        else
        {
            _indices = indices.ToArray();
            Source = source;
        }
    }

    /// <summary>Gets the dataset this view reads from (never itself a <see cref="SubsetDataset"/>).</summary>
    public IDataset Source { get; }

    /// <summary>Gets the indices into <see cref="Source"/> of this view's samples, in order.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => Source.SampleShape;

    /// <inheritdoc/>
    public int SampleSize => Source.SampleSize;

    /// <inheritdoc/>
    public int NumClasses => Source.NumClasses;

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        DataGuard.CheckIndex(index, Count, nameof(index));
        return Source.GetLabel(_indices[index]);
    }

    /// <inheritdoc/>
    public void CopySamples(ReadOnlySpan<int> indices, Span<float> features, Span<int> labels)
    {
        DataGuard.CheckBatchDestinations(indices.Length, SampleSize, features, labels);
        var mapped = ArrayPool<int>.Shared.Rent(indices.Length);
        try
        {
            var count = Count;
            for (var i = 0; i < indices.Length; i++)
            {
                DataGuard.CheckIndex(indices[i], count, nameof(indices));
                mapped[i] = _indices[indices[i]];
            }

            Source.CopySamples(mapped.AsSpan(0, indices.Length), features, labels);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(mapped);
        }
    }
}
