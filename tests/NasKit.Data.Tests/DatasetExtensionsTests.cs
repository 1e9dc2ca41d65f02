namespace NasKit.Data.Tests;

[TestFixture]
public sealed class DatasetExtensionsTests
{
    [Test]
    public void CountPerClass_CountsEachLabel()
    {
        var dataset = TestDatasets.Indexed(6, numClasses: 4, labels: [3, 3, 0, 3, 1, 0]);

        Assert.That(dataset.CountPerClass(), Is.EqualTo(new[] { 2, 1, 0, 3 }));
    }

    [Test]
    public void CountPerClass_OnSubset_CountsOnlyItsSamples()
    {
        var dataset = TestDatasets.Indexed(6, numClasses: 4, labels: [3, 3, 0, 3, 1, 0]);

        Assert.That(dataset.Subset([0, 2, 4, 4]).CountPerClass(), Is.EqualTo(new[] { 1, 2, 0, 1 }));
    }
}
