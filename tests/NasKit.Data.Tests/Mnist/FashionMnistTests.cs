using NasKit.Data.Mnist;
using NasKit.Data.Tests.Idx;

namespace NasKit.Data.Tests.Mnist;

[TestFixture]
public sealed class FashionMnistTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "naskit-mnist-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Load_MissingFiles_ThrowsFileNotFoundNamingExpectedPaths()
    {
        var expectedGz = Path.Combine(_folder, "t10k-images-idx3-ubyte.gz");
        var expectedRaw = Path.Combine(_folder, "t10k-images-idx3-ubyte");

        Assert.That(
            () => FashionMnist.Load(_folder, train: false),
            Throws.TypeOf<FileNotFoundException>().With.Message.Contains(expectedGz).And.Message.Contains(expectedRaw));
    }

    [Test]
    public void Load_LabelsMissing_ThrowsNamingTheLabelsFile()
    {
        File.WriteAllBytes(Path.Combine(_folder, "train-images-idx3-ubyte"), IdxTestFiles.Build([1, 1, 1], [0]));

        Assert.That(
            () => FashionMnist.Load(_folder, train: true),
            Throws.TypeOf<FileNotFoundException>().With.Message.Contains("train-labels-idx1-ubyte.gz"));
    }

    [Test]
    public void Load_MixedRawAndGzipFiles_LoadsTheRequestedSplit()
    {
        File.WriteAllBytes(Path.Combine(_folder, "t10k-images-idx3-ubyte"), IdxTestFiles.Build([2, 2, 2], [0, 51, 102, 153, 204, 255, 0, 0]));
        File.WriteAllBytes(Path.Combine(_folder, "t10k-labels-idx1-ubyte.gz"), IdxTestFiles.Gzip(IdxTestFiles.Build([2], [9, 4])));
        File.WriteAllBytes(Path.Combine(_folder, "train-images-idx3-ubyte"), IdxTestFiles.Build([1, 2, 2], [1, 1, 1, 1]));
        File.WriteAllBytes(Path.Combine(_folder, "train-labels-idx1-ubyte"), IdxTestFiles.Build([1], [0]));

        var test = FashionMnist.Load(_folder, train: false);

        Assert.Multiple(() =>
        {
            Assert.That(test.Count, Is.EqualTo(2));
            Assert.That(test.SampleShape, Is.EqualTo(new[] { 1, 2, 2 }));
            Assert.That(test.Labels.ToArray(), Is.EqualTo(new[] { 9, 4 }));
            Assert.That(test.GetFeatures(0).ToArray(), Is.EqualTo(new[] { 0f, 0.2f, 0.4f, 0.6f }));
            Assert.That(test.NumClasses, Is.EqualTo(10));
        });
    }

    [Test]
    public void Load_LabelAboveNine_ThrowsInvalidData()
    {
        File.WriteAllBytes(Path.Combine(_folder, "t10k-images-idx3-ubyte"), IdxTestFiles.Build([1, 1, 1], [0]));
        File.WriteAllBytes(Path.Combine(_folder, "t10k-labels-idx1-ubyte"), IdxTestFiles.Build([1], [10]));

        Assert.That(() => FashionMnist.Load(_folder, train: false), Throws.TypeOf<InvalidDataException>().With.Message.Contains("label 10"));
    }

    [Test]
    public void ClassNames_HasOneNamePerClass()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FashionMnist.ClassNames, Has.Count.EqualTo(FashionMnist.NumClasses));
            Assert.That(FashionMnist.ClassNames[9], Is.EqualTo("Ankle boot"));
        });
    }
}
