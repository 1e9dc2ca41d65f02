namespace NasKit.Data.Tests;

[TestFixture]
public sealed class InMemoryDatasetTests
{
    [Test]
    public void Ctor_ValidArrays_ExposesShapeCountsAndData()
    {
        var dataset = TestDatasets.Indexed(5, numClasses: 3, channels: 2);

        Assert.Multiple(() =>
        {
            Assert.That(dataset.Count, Is.EqualTo(5));
            Assert.That(dataset.SampleShape, Is.EqualTo(new[] { 2, 2, 2 }));
            Assert.That(dataset.SampleSize, Is.EqualTo(8));
            Assert.That(dataset.NumClasses, Is.EqualTo(3));
            Assert.That(dataset.GetLabel(4), Is.EqualTo(1));
            Assert.That(dataset.GetFeatures(3).ToArray(), Is.EqualTo(Enumerable.Range(3000, 8).Select(v => (float)v).ToArray()));
        });
    }

    [Test]
    public void Ctor_FeatureCountMismatch_ThrowsWithAllSizes()
    {
        Assert.That(
            () => new InMemoryDataset(new float[7], [0, 1], [1, 2, 2], numClasses: 2),
            Throws.ArgumentException.With.Message.Contains("features.Length=7").And.Message.Contains("labels.Length=2").And.Message.Contains("[1, 2, 2]"));
    }

    [TestCase(-1)]
    [TestCase(2)]
    public void Ctor_LabelOutOfRange_ThrowsWithIndexAndValue(int badLabel)
    {
        Assert.That(
            () => new InMemoryDataset(new float[3], [0, 1, badLabel], [1], numClasses: 2),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains($"labels[2]={badLabel}"));
    }

    [Test]
    public void Ctor_EmptySampleShape_Throws()
    {
        Assert.That(() => new InMemoryDataset([], [], [], numClasses: 2), Throws.ArgumentException.With.Message.Contains("at least one dimension"));
    }

    [Test]
    public void Ctor_ZeroDimensionInSampleShape_Throws()
    {
        Assert.That(() => new InMemoryDataset([], [], [1, 0], numClasses: 2), Throws.ArgumentException.With.Message.Contains("[1, 0]"));
    }

    [Test]
    public void Ctor_ZeroClasses_Throws()
    {
        Assert.That(() => new InMemoryDataset([], [], [1], numClasses: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Ctor_CallerMutatesSampleShapeAfterwards_DatasetKeepsItsShape()
    {
        int[] shape = [1, 2, 2];
        var dataset = new InMemoryDataset(new float[4], [0], shape, numClasses: 1);

        shape[0] = 9;

        Assert.That(dataset.SampleShape, Is.EqualTo(new[] { 1, 2, 2 }));
    }

    [Test]
    public void CopySamples_IndicesInAnyOrderWithRepeats_CopiesRowsAndLabels()
    {
        var dataset = TestDatasets.Indexed(6, numClasses: 4);
        var features = new float[3 * 4];
        var labels = new int[3];

        dataset.CopySamples([5, 0, 5], features, labels);

        Assert.Multiple(() =>
        {
            Assert.That(features, Is.EqualTo(new float[] { 5000, 5001, 5002, 5003, 0, 1, 2, 3, 5000, 5001, 5002, 5003 }));
            Assert.That(labels, Is.EqualTo(new[] { 1, 0, 1 }));
        });
    }

    [Test]
    public void CopySamples_FeaturesTooShort_ThrowsWithLengths()
    {
        var dataset = TestDatasets.Indexed(6);

        Assert.That(
            () => dataset.CopySamples([0, 1], new float[7], new int[2]),
            Throws.ArgumentException.With.Message.Contains("features.Length=7").And.Message.Contains("SampleSize=4"));
    }

    [Test]
    public void CopySamples_LabelsWrongLength_Throws()
    {
        var dataset = TestDatasets.Indexed(6);

        Assert.That(() => dataset.CopySamples([0, 1], new float[8], new int[3]), Throws.ArgumentException.With.Message.Contains("labels.Length=3"));
    }

    [TestCase(-1)]
    [TestCase(6)]
    public void CopySamples_IndexOutOfRange_ThrowsWithIndexAndCount(int index)
    {
        var dataset = TestDatasets.Indexed(6);

        Assert.That(
            () => dataset.CopySamples([0, index], new float[8], new int[2]),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains($"[0, 6), but got {index}"));
    }

    [Test]
    public void GetLabel_IndexOutOfRange_Throws()
    {
        var dataset = TestDatasets.Indexed(2);

        Assert.That(() => dataset.GetLabel(2), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Features_WrittenThrough_ChangesWhatCopySamplesReturns()
    {
        var dataset = TestDatasets.Indexed(2);
        dataset.Features[4] = -7f;
        var features = new float[4];

        dataset.CopySamples([1], features, new int[1]);

        Assert.That(features[0], Is.EqualTo(-7f));
    }
}
