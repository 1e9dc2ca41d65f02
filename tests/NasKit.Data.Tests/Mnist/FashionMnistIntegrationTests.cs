using NasKit.Data.Mnist;
using NasKit.Data.Transforms;

namespace NasKit.Data.Tests.Mnist;

/// <summary>Checks the loader against the real Fashion-MNIST files installed by Debian's dataset-fashion-mnist package.</summary>
/// <remarks>
/// Oracle values come from PyTorch 1.13 reading the same .gz files directly:
/// <c>x = torch.frombuffer(bytearray(gzip.open(path).read()[16:]), dtype=torch.uint8).double().div(255)</c>, then
/// <c>x.mean()</c> = 0.2860405969887955, <c>x.std(unbiased=False)</c> = 0.35302424457803794, the first labels and the
/// per-class counts via <c>torch.bincount</c>, and <c>x[0].sum()</c> of the raw bytes = 76247.
/// </remarks>
[TestFixture]
[Category("Integration")]
public sealed class FashionMnistIntegrationTests
{
    private InMemoryDataset _train = null!;
    private InMemoryDataset _test = null!;

    [OneTimeSetUp]
    public void LoadOnce()
    {
        if (!Directory.Exists(FashionMnist.DefaultFolder))
        {
            Assert.Fail(
                $"Fashion-MNIST is not installed at {FashionMnist.DefaultFolder}. Install Debian's dataset-fashion-mnist package " +
                "(apt-get install dataset-fashion-mnist); CI installs it, and this test must not be skipped.");
        }

        _train = FashionMnist.Load(FashionMnist.DefaultFolder, train: true);
        _test = FashionMnist.Load(FashionMnist.DefaultFolder, train: false);
    }

    [Test]
    public void Load_Train_Has60000ImagesOf28x28With6000PerClass()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_train.Count, Is.EqualTo(60_000));
            Assert.That(_train.SampleShape, Is.EqualTo(new[] { 1, 28, 28 }));
            Assert.That(_train.NumClasses, Is.EqualTo(10));
            Assert.That(_train.CountPerClass(), Is.EqualTo(Enumerable.Repeat(6000, 10)));
            Assert.That(_train.Labels[..5].ToArray(), Is.EqualTo(new[] { 9, 0, 0, 3, 0 }));
        });
    }

    [Test]
    public void Load_Test_Has10000ImagesOf28x28With1000PerClass()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_test.Count, Is.EqualTo(10_000));
            Assert.That(_test.SampleShape, Is.EqualTo(new[] { 1, 28, 28 }));
            Assert.That(_test.CountPerClass(), Is.EqualTo(Enumerable.Repeat(1000, 10)));
            Assert.That(_test.Labels[..5].ToArray(), Is.EqualTo(new[] { 9, 2, 1, 1, 6 }));
        });
    }

    [Test]
    public void Load_Pixels_LieInUnitIntervalAndMatchRawBytes()
    {
        var min = float.MaxValue;
        var max = float.MinValue;
        foreach (var v in _train.Features)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double firstImageBytes = 0;
        foreach (var v in _train.GetFeatures(0))
        {
            firstImageBytes += Math.Round(v * 255.0);
        }

        Assert.Multiple(() =>
        {
            Assert.That(min, Is.EqualTo(0f));
            Assert.That(max, Is.EqualTo(1f));
            Assert.That(firstImageBytes, Is.EqualTo(76247));
        });
    }

    [Test]
    public void ChannelStatistics_Train_MatchesPyTorch()
    {
        var stats = ChannelStatistics.Compute(_train);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Mean[0], Is.EqualTo(0.2860405969887955).Within(1e-6));
            Assert.That(stats.Std[0], Is.EqualTo(0.35302424457803794).Within(1e-6));
        });
    }
}
