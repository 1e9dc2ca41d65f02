using NasKit.Data.Splits;

namespace NasKit.Data.Tests.Splits;

[TestFixture]
public sealed class DataSplitsTests
{
    // Imbalanced classes: 50, 30, 15, 5 samples, interleaved so that class blocks are not contiguous.
    private static InMemoryDataset Imbalanced()
    {
        var labels = new List<int>();
        int[] counts = [50, 30, 15, 5];
        var left = (int[])counts.Clone();
        while (labels.Count < 100)
        {
            for (var c = 0; c < 4; c++)
            {
                if (left[c]-- > 0)
                {
                    labels.Add(c);
                }
            }
        }

        return TestDatasets.Indexed(100, numClasses: 4, labels: [.. labels]);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TrainValidation_Sizes_AreRoundedFractionAndRemainder(bool stratified)
    {
        var split = DataSplits.TrainValidation(Imbalanced(), validationFraction: 0.3, seed: 1, stratified);

        Assert.Multiple(() =>
        {
            Assert.That(split.Validation.Count, Is.EqualTo(30));
            Assert.That(split.Train.Count, Is.EqualTo(70));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TrainValidation_Parts_AreDisjointAndCoverEverySample(bool stratified)
    {
        var dataset = Imbalanced();

        var split = DataSplits.TrainValidation(dataset, validationFraction: 0.25, seed: 7, stratified);

        var train = split.Train.Indices.ToArray();
        var validation = split.Validation.Indices.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(train.Intersect(validation), Is.Empty);
            Assert.That(train.Concat(validation).Order(), Is.EqualTo(Enumerable.Range(0, 100)));
            Assert.That(split.Train.Source, Is.SameAs(dataset));
            Assert.That(train, Is.Ordered);
        });
    }

    [Test]
    public void TrainValidation_Stratified_EachClassWithinOneSampleOfItsShare()
    {
        var dataset = Imbalanced();
        const double Fraction = 0.3;

        var split = DataSplits.TrainValidation(dataset, Fraction, seed: 5, stratified: true);

        var totals = dataset.CountPerClass();
        var validation = split.Validation.CountPerClass();
        Assert.Multiple(() =>
        {
            for (var c = 0; c < totals.Length; c++)
            {
                // Shares: 15, 9, 4.5, 1.5 validation samples for classes of 50, 30, 15, 5; each count is the floor or the ceiling.
                var share = Fraction * totals[c];
                Assert.That(validation[c], Is.GreaterThan(share - 1).And.LessThan(share + 1), $"class {c}");
            }
        });
    }

    [Test]
    public void TrainValidation_StratifiedUnevenShares_ExactCountsFromLargestRemainders()
    {
        // Classes of 7, 7, 7 at fraction 0.5: shares 3.5 each, total round(10.5) = 10 (to even): one class gets 4, two get 3.
        var dataset = TestDatasets.Indexed(21, numClasses: 3);

        var split = DataSplits.TrainValidation(dataset, validationFraction: 0.5, seed: 2, stratified: true);

        Assert.That(split.Validation.CountPerClass().Order(), Is.EqualTo(new[] { 3, 3, 4 }));
    }

    [Test]
    public void TrainValidation_StratifiedDistinctRemainders_LeftoversGoToLargestRemainders()
    {
        // Classes of 10, 9, 3 at fraction 0.3: shares 3, 2.7, 0.9 (floors 3, 2, 0); total round(6.6) = 7, so the two
        // leftover samples go to the classes with remainders 0.9 and 0.7, never to the class whose share is exact.
        var labels = Enumerable.Repeat(0, 10).Concat(Enumerable.Repeat(1, 9)).Concat(Enumerable.Repeat(2, 3)).ToArray();
        var dataset = TestDatasets.Indexed(22, numClasses: 3, labels: labels);

        var split = DataSplits.TrainValidation(dataset, validationFraction: 0.3, seed: 8, stratified: true);

        Assert.That(split.Validation.CountPerClass(), Is.EqualTo(new[] { 3, 3, 1 }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TrainValidation_SameSeed_SameSplit(bool stratified)
    {
        var dataset = Imbalanced();

        var a = DataSplits.TrainValidation(dataset, 0.2, seed: 42, stratified);
        var b = DataSplits.TrainValidation(dataset, 0.2, seed: 42, stratified);

        Assert.That(a.Validation.Indices.ToArray(), Is.EqualTo(b.Validation.Indices.ToArray()));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void TrainValidation_DifferentSeeds_DifferentSplits(bool stratified)
    {
        var dataset = Imbalanced();

        var a = DataSplits.TrainValidation(dataset, 0.2, seed: 42, stratified);
        var b = DataSplits.TrainValidation(dataset, 0.2, seed: 43, stratified);

        Assert.That(a.Validation.Indices.ToArray(), Is.Not.EqualTo(b.Validation.Indices.ToArray()));
    }

    [Test]
    public void TrainValidation_Stratified_PicksRandomMembersNotTheFirstOfEachClass()
    {
        var dataset = Imbalanced();

        var split = DataSplits.TrainValidation(dataset, 0.3, seed: 3, stratified: true);

        var firstOfClass0 = Enumerable.Range(0, 100).Where(i => dataset.GetLabel(i) == 0).Take(15);
        var chosenOfClass0 = split.Validation.Indices.ToArray().Where(i => dataset.GetLabel(i) == 0);
        Assert.That(chosenOfClass0, Is.Not.EqualTo(firstOfClass0));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void TrainValidation_FractionOutsideOpenUnitInterval_ThrowsWithValue(double fraction)
    {
        Assert.That(
            () => DataSplits.TrainValidation(Imbalanced(), fraction, seed: 0),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains($"got validationFraction={fraction}"));
    }

    [Test]
    public void TrainValidation_FractionLeavingEmptyPart_ThrowsWithCounts()
    {
        Assert.That(
            () => DataSplits.TrainValidation(Imbalanced(), 0.004, seed: 0),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("gives 0 validation and 100 training samples"));
    }
}
