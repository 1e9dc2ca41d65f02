namespace NasKit.Data.Tests;

[TestFixture]
public sealed class SubsetDatasetTests
{
    [Test]
    public void CopySamples_MapsThroughIndices()
    {
        var source = TestDatasets.Indexed(10, numClasses: 3);
        var subset = source.Subset([7, 2, 9]);
        var features = new float[2 * 4];
        var labels = new int[2];

        subset.CopySamples([2, 0], features, labels);

        Assert.Multiple(() =>
        {
            Assert.That(subset.Count, Is.EqualTo(3));
            Assert.That(subset.SampleShape, Is.EqualTo(source.SampleShape));
            Assert.That(subset.NumClasses, Is.EqualTo(3));
            Assert.That(TestDatasets.IndexOf(features[0]), Is.EqualTo(9));
            Assert.That(TestDatasets.IndexOf(features[4]), Is.EqualTo(7));
            Assert.That(labels, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(subset.GetLabel(1), Is.EqualTo(2));
        });
    }

    [Test]
    public void Subset_OfSubset_RefersToInnermostSource()
    {
        var source = TestDatasets.Indexed(10);
        var outer = source.Subset([9, 8, 7, 6]);

        var inner = outer.Subset([3, 0]);

        Assert.Multiple(() =>
        {
            Assert.That(inner.Source, Is.SameAs(source));
            Assert.That(inner.Indices.ToArray(), Is.EqualTo(new[] { 6, 9 }));
        });
    }

    [Test]
    public void Ctor_IndexOutOfRange_ThrowsWithIndexAndCount()
    {
        var source = TestDatasets.Indexed(4);

        Assert.That(() => source.Subset([0, 4]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 4), but got 4"));
    }

    [Test]
    public void CopySamples_IndexBeyondSubset_Throws()
    {
        var subset = TestDatasets.Indexed(10).Subset([1, 2]);

        Assert.That(
            () => subset.CopySamples([2], new float[4], new int[1]),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 2), but got 2"));
    }

    [Test]
    public void CopySamples_SourceChanged_ViewShowsChange()
    {
        var source = TestDatasets.Indexed(3);
        var subset = source.Subset([2]);
        source.Features[8] = 42f;
        var features = new float[4];

        subset.CopySamples([0], features, new int[1]);

        Assert.That(features[0], Is.EqualTo(42f));
    }
}
