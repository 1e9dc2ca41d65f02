using NasKit.SearchSpace.Custom;

namespace NasKit.SearchSpace.Tests.Custom;

public sealed class InputChoiceTests
{
    [Test]
    public void Count_TwoOfFive_IsBinomial() => Assert.That(Choice.Inputs("skip", 5, 2).Count, Is.EqualTo(10)); // C(5,2) = 10

    [TestCase(0, 1)]
    [TestCase(3, 0)]
    [TestCase(3, 4)]
    public void Ctor_BadCounts_Throws(int candidates, int chosen) =>
        Assert.That(() => Choice.Inputs("skip", candidates, chosen), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains(candidates.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void Enumerate_SpaceOfTwoOfFour_ListsSubsetsLexicographically()
    {
        var space = new CustomSearchSpace("inputs", [1], ctx =>
        {
            ctx.Choose(Choice.Inputs("skip", 4, 2));
            return new NasKit.Tensors.NN.Identity();
        });
        var texts = space.Enumerate().Select(a => a.ToString()).ToList();
        Assert.That(texts, Is.EqualTo(new[] { "skip=0,1", "skip=0,2", "skip=0,3", "skip=1,2", "skip=1,3", "skip=2,3" }));
        Assert.That(space.Parse("skip=1,3").GetValue<System.Collections.Immutable.ImmutableSortedSet<int>>("skip"), Is.EqualTo(new[] { 1, 3 }));
    }
}
