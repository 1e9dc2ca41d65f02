using NasKit.Data.Transforms;

namespace NasKit.Data.Tests.Transforms;

[TestFixture]
public sealed class ChannelStatisticsTests
{
    [Test]
    public void Compute_TwoChannels_ReturnsPopulationMeanAndStd()
    {
        // Two samples of shape [2, 2]: channel 0 holds {1, 2} and {3, 4}, channel 1 holds {10, 10} and {10, 30}.
        // Oracle (arithmetic): channel 0 mean 2.5, population variance 1.25; channel 1 mean 15, variance (3·25 + 225)/4 = 75.
        var dataset = new InMemoryDataset([1, 2, 10, 10, 3, 4, 10, 30], [0, 0], [2, 2], numClasses: 1);

        var stats = ChannelStatistics.Compute(dataset);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Channels, Is.EqualTo(2));
            Assert.That(stats.Mean[0], Is.EqualTo(2.5f).Within(1e-6f));
            Assert.That(stats.Std[0], Is.EqualTo(MathF.Sqrt(1.25f)).Within(1e-6f));
            Assert.That(stats.Mean[1], Is.EqualTo(15f).Within(1e-5f));
            Assert.That(stats.Std[1], Is.EqualTo(MathF.Sqrt(75f)).Within(1e-5f));
        });
    }

    [Test]
    public void Compute_ManyChunksWithLargeOffset_MatchesTwoPassReference()
    {
        // 1000 samples (four 256-sample chunks) of [3, 5] values around 1e4; the reference is a plain two-pass double loop.
        const int Count = 1000;
        var generator = new NasKit.Tensors.Generator(17);
        var features = new float[Count * 15];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = 10_000f + (float)(generator.NextDouble() * (1 + ((i / 5) % 3)));
        }

        var dataset = new InMemoryDataset(features, new int[Count], [3, 5], numClasses: 1);

        var stats = ChannelStatistics.Compute(dataset);

        Assert.Multiple(() =>
        {
            for (var c = 0; c < 3; c++)
            {
                var values = Enumerable.Range(0, Count).SelectMany(s => features.Skip((s * 15) + (c * 5)).Take(5)).Select(v => (double)v).ToArray();
                var mean = values.Average();
                var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
                Assert.That(stats.Mean[c], Is.EqualTo(mean).Within(1e-3), $"mean of channel {c}");
                Assert.That(stats.Std[c], Is.EqualTo(std).Within(1e-5 * std), $"std of channel {c}");
            }
        });
    }

    [Test]
    public void Compute_OnSubset_UsesOnlyItsSamples()
    {
        var dataset = new InMemoryDataset([0, 0, 100, 100, 4, 8], [0, 0, 0], [2], numClasses: 1);

        var stats = ChannelStatistics.Compute(dataset.Subset([0, 2]));

        Assert.Multiple(() =>
        {
            Assert.That(stats.Mean, Is.EqualTo(new[] { 2f, 4f }));
            Assert.That(stats.Std, Is.EqualTo(new[] { 2f, 4f }));
        });
    }

    [Test]
    public void Compute_ConstantChannel_ThrowsNamingTheChannel()
    {
        var dataset = new InMemoryDataset([1, 5, 2, 5], [0, 0], [2], numClasses: 1);

        Assert.That(
            () => ChannelStatistics.Compute(dataset),
            Throws.ArgumentException.With.Message.Contains("channel 1 has mean=5, std=0"));
    }

    [Test]
    public void Compute_EmptyDataset_Throws()
    {
        var dataset = new InMemoryDataset([], [], [1, 2, 2], numClasses: 1);

        Assert.That(() => ChannelStatistics.Compute(dataset), Throws.ArgumentException.With.Message.Contains("empty"));
    }

    [Test]
    public void Ctor_ZeroStd_ThrowsWithIndex()
    {
        Assert.That(() => new ChannelStatistics([0f, 0f], [1f, 0f]), Throws.ArgumentException.With.Message.Contains("std[1]=0"));
    }

    [Test]
    public void Ctor_LengthMismatch_ThrowsWithLengths()
    {
        Assert.That(
            () => new ChannelStatistics([0f, 0f], [1f]),
            Throws.ArgumentException.With.Message.Contains("mean.Length=2").And.Message.Contains("std.Length=1"));
    }
}
