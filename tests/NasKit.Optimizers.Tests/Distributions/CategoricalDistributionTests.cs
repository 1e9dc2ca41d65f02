using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers.Tests.Distributions;

public sealed class CategoricalDistributionTests
{
    [Test]
    public void Ctor_MixedTypes_ThrowsNamingBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new CategoricalDistribution(["a", 1]));
        Assert.That(e!.Message, Does.Contain("choice 0 is a String").And.Contain("choice 1 is a Int32"));
    }

    [Test]
    public void Ctor_DuplicateOrEmptyOrUnsupported_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentException>(() => CategoricalDistribution.Of(["sgd", "adam", "sgd"]))!.Message, Does.Contain("choices 0 and 2 are both 'sgd'"));
            Assert.That(Assert.Throws<ArgumentException>(() => CategoricalDistribution.Of(Array.Empty<string>()))!.Message, Does.Contain("at least one choice"));
            Assert.That(Assert.Throws<ArgumentException>(() => CategoricalDistribution.Of([1.5f]))!.Message, Does.Contain("Single"));
            Assert.That(Assert.Throws<ArgumentException>(() => CategoricalDistribution.Of([double.NaN]))!.Message, Does.Contain("finite"));
        });
    }

    [Test]
    public void Equals_SameChoicesSameOrder_EqualOtherwiseNot()
    {
        var first = CategoricalDistribution.Of(["a", "b"]);
        var second = CategoricalDistribution.Of(new List<string> { "a", "b" });
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(second, Is.EqualTo(first));
            Assert.That(second.GetHashCode(), Is.EqualTo(first.GetHashCode()));
            Assert.That(CategoricalDistribution.Of(["a", "b"]), Is.Not.EqualTo(CategoricalDistribution.Of(["b", "a"])));
            Assert.That(CategoricalDistribution.Of([1, 2]), Is.Not.EqualTo(CategoricalDistribution.Of([1.0, 2.0])));
        });
    }

    [Test]
    public void ToExternal_Index_ReturnsChoiceAndRejectsOthers()
    {
        var d = CategoricalDistribution.Of([true, false]);
        Assert.Multiple(() =>
        {
            Assert.That(d.ToExternal(1), Is.EqualTo(false));
            Assert.That(d.IndexOf(true), Is.EqualTo(0));
            Assert.That(d.IndexOf("true"), Is.EqualTo(-1));
            Assert.That(d.Contains(2), Is.False);
            Assert.That(d.Contains(0.5), Is.False);
            Assert.Throws<ArgumentOutOfRangeException>(() => d.ToExternal(2));
        });
    }
}
