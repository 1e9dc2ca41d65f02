using System.Numerics.Tensors;

namespace NasKit.Data.Transforms;

/// <summary>Provides per-channel standardisation, <c>x ← (x − mean[c]) / std[c]</c>, applied in place to a dataset's features.</summary>
/// <remarks>
/// Compute the statistics on the training data only (<see cref="ChannelStatistics.Compute"/> on the training part of a split) and
/// apply them to the whole source dataset, so that validation and test data are scaled the same way without leaking their statistics.
/// </remarks>
public static class Standardization
{
    /// <summary>Standardises every feature of <paramref name="dataset"/> in place, channel by channel.</summary>
    /// <param name="dataset">The dataset whose <see cref="InMemoryDataset.Features"/> are overwritten.</param>
    /// <param name="statistics">The mean and standard deviation of each channel; one per element of the first sample dimension.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The number of channels in <paramref name="statistics"/> differs from <c>SampleShape[0]</c>.</exception>
    public static void ApplyInPlace(InMemoryDataset dataset, ChannelStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(statistics);
        var channels = dataset.SampleShape[0];
        if (statistics.Channels != channels)
        {
            throw new ArgumentException(
                $"'statistics.Channels == SampleShape[0]' must hold, but got statistics.Channels={statistics.Channels}, SampleShape[0]={channels}.",
                nameof(statistics));
        }

        var plane = dataset.SampleSize / channels;
        var features = dataset.Features;
        for (var offset = 0; offset < features.Length; offset += dataset.SampleSize)
        {
            for (var c = 0; c < channels; c++)
            {
                var values = features.Slice(offset + (c * plane), plane);
                TensorPrimitives.Subtract(values, statistics.Mean[c], values);
                TensorPrimitives.Divide(values, statistics.Std[c], values);
            }
        }
    }
}
