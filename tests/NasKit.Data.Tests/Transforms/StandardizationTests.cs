using NasKit.Data.Transforms;
using NasKit.Tensors;

namespace NasKit.Data.Tests.Transforms;

[TestFixture]
public sealed class StandardizationTests
{
    [Test]
    public void ApplyInPlace_WithOwnStatistics_GivesZeroMeanUnitStdPerChannel()
    {
        const int Count = 300;
        var generator = new Generator(4);
        var features = new float[Count * 3 * 4];
        for (var i = 0; i < features.Length; i++)
        {
            var channel = (i / 4) % 3;
            features[i] = (float)((channel * 10) + ((channel + 1) * generator.NextNormal()));
        }

        var dataset = new InMemoryDataset(features, new int[Count], [3, 2, 2], numClasses: 1);
        var before = ChannelStatistics.Compute(dataset);

        Standardization.ApplyInPlace(dataset, before);
        var after = ChannelStatistics.Compute(dataset);

        Assert.Multiple(() =>
        {
            Assert.That(before.Mean[2], Is.EqualTo(20f).Within(0.5f), "the test data should have distinct channel means");
            for (var c = 0; c < 3; c++)
            {
                Assert.That(after.Mean[c], Is.EqualTo(0f).Within(1e-5f), $"mean of channel {c}");
                Assert.That(after.Std[c], Is.EqualTo(1f).Within(1e-5f), $"std of channel {c}");
            }
        });
    }

    [Test]
    public void ApplyInPlace_GivenStatistics_AppliesFormulaPerChannel()
    {
        // Sample of shape [2, 2]: channel 0 = {1, 3}, channel 1 = {10, 20}; mean (2, 10), std (0.5, 5).
        var dataset = new InMemoryDataset([1, 3, 10, 20], [0], [2, 2], numClasses: 1);

        Standardization.ApplyInPlace(dataset, new ChannelStatistics([2f, 10f], [0.5f, 5f]));

        Assert.That(dataset.Features.ToArray(), Is.EqualTo(new[] { -2f, 2f, 0f, 2f }));
    }

    [Test]
    public void ApplyInPlace_ChannelCountMismatch_ThrowsWithBothCounts()
    {
        var dataset = TestDatasets.Indexed(2, channels: 2);

        Assert.That(
            () => Standardization.ApplyInPlace(dataset, new ChannelStatistics([0f], [1f])),
            Throws.ArgumentException.With.Message.Contains("statistics.Channels=1").And.Message.Contains("SampleShape[0]=2"));
    }
}
