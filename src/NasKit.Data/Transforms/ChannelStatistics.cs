using NasKit.Data.Internal;

namespace NasKit.Data.Transforms;

/// <summary>Represents the per-channel mean and standard deviation of a dataset's features.</summary>
/// <remarks>
/// A channel is an index into the first dimension of the sample shape (for [C, H, W] images, one of the C planes; for
/// [F] feature vectors, one feature). The statistics pool every value of the channel over all samples and positions.
/// </remarks>
public sealed class ChannelStatistics
{
    private const int ChunkSamples = 256;

    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Initializes a new instance of the <see cref="ChannelStatistics"/> class.</summary>
    /// <param name="mean">The mean of each channel.</param>
    /// <param name="std">The standard deviation of each channel; each finite and &gt; 0 so that it can divide.</param>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">The arrays are empty or differ in length, a mean is not finite, or a standard deviation is not finite and &gt; 0.</exception>
    public ChannelStatistics(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
        {
            throw new ArgumentException($"'mean.Length == std.Length > 0' must hold, but got mean.Length={mean.Length}, std.Length={std.Length}.", nameof(std));
        }

        for (var c = 0; c < mean.Length; c++)
        {
            if (!float.IsFinite(mean[c]))
            {
                throw new ArgumentException($"Every mean must be finite, but mean[{c}]={mean[c]}.", nameof(mean));
            }

            if (!(std[c] > 0) || !float.IsFinite(std[c]))
            {
                throw new ArgumentException(
                    $"Every standard deviation must be finite and > 0, but std[{c}]={std[c]} (a constant channel cannot be standardised).", nameof(std));
            }
        }

        _mean = (float[])mean.Clone();
        _std = (float[])std.Clone();
    }

    /// <summary>Gets the mean of each channel.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>Gets the standard deviation of each channel.</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>Gets the number of channels.</summary>
    public int Channels => _mean.Length;

    /// <summary>Computes the per-channel mean and population standard deviation of every feature of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The dataset, for example the training part of a split; it must hold at least one sample.</param>
    /// <returns>The statistics.</returns>
    /// <remarks>
    /// The standard deviation is the population one (divide by the number of values, no Bessel correction), which is what
    /// torchvision users get from <c>data.std(dim=(0, 2, 3), unbiased=False)</c> and what standardisation needs; for
    /// Fashion-MNIST's 47 million values per channel the two differ by one part in a hundred million anyway. Sums are kept
    /// in double precision and merged chunk by chunk (Chan's parallel formula), so large offsets do not cancel.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentException">The dataset is empty, or a channel is constant (its standard deviation is 0) or holds a non-finite value.</exception>
    public static ChannelStatistics Compute(IDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("Channel statistics need at least one sample, but the dataset is empty.", nameof(dataset));
        }

        var channels = dataset.SampleShape[0];
        var plane = dataset.SampleSize / channels;
        var count = new double[channels];
        var mean = new double[channels];
        var m2 = new double[channels];

        var chunk = Math.Min(ChunkSamples, dataset.Count);
        var features = new float[chunk * dataset.SampleSize];
        var labels = new int[chunk];
        var indices = new int[chunk];
        for (var start = 0; start < dataset.Count; start += chunk)
        {
            var n = Math.Min(chunk, dataset.Count - start);
            for (var i = 0; i < n; i++)
            {
                indices[i] = start + i;
            }

            dataset.CopySamples(indices.AsSpan(0, n), features.AsSpan(0, n * dataset.SampleSize), labels.AsSpan(0, n));
            for (var s = 0; s < n; s++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var values = features.AsSpan((s * dataset.SampleSize) + (c * plane), plane);
                    Accumulate(values, ref count[c], ref mean[c], ref m2[c]);
                }
            }
        }

        var meanOut = new float[channels];
        var stdOut = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            meanOut[c] = (float)mean[c];
            stdOut[c] = (float)Math.Sqrt(m2[c] / count[c]);
            if (!(stdOut[c] > 0) || !float.IsFinite(stdOut[c]) || !float.IsFinite(meanOut[c]))
            {
                throw new ArgumentException(
                    $"Every channel needs a finite mean and a finite standard deviation > 0, but channel {c} has mean={meanOut[c]}, std={stdOut[c]} " +
                    "(a constant channel, or one holding NaN or infinity).",
                    nameof(dataset));
            }
        }

        return new ChannelStatistics(meanOut, stdOut);
    }

    /// <summary>Merges the mean and squared deviations of <paramref name="values"/> into a running (count, mean, M2).</summary>
    private static void Accumulate(ReadOnlySpan<float> values, ref double count, ref double mean, ref double m2)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var n = (double)values.Length;
        var blockMean = sum / n;
        double blockM2 = 0;
        foreach (var v in values)
        {
            var d = v - blockMean;
            blockM2 += d * d;
        }

        var total = count + n;
        var delta = blockMean - mean;
        mean += delta * (n / total);
        m2 += blockM2 + (delta * delta * count * n / total);
        count = total;
    }
}
