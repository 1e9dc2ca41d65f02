namespace NasKit.Data;

/// <summary>Provides helpers that work on any <see cref="IDataset"/>.</summary>
public static class DatasetExtensions
{
    /// <summary>Creates a view of the samples <paramref name="indices"/> of <paramref name="dataset"/>, in that order, without copying features.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indices">The sample indices, each in [0, <c>dataset.Count</c>); repeats are allowed.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <c>dataset.Count</c>).</exception>
    public static SubsetDataset Subset(this IDataset dataset, ReadOnlySpan<int> indices) => new(dataset, indices);

    /// <summary>Counts the samples of each class.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <returns>An array of length <see cref="IDataset.NumClasses"/> whose element <c>c</c> is the number of samples labelled <c>c</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public static int[] CountPerClass(this IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var counts = new int[dataset.NumClasses];
        for (var i = 0; i < dataset.Count; i++)
        {
            counts[dataset.GetLabel(i)]++;
        }

        return counts;
    }
}
