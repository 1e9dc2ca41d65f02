using NasKit.SearchSpace.Custom;

namespace NasKit.SearchSpace.Tests.Custom;

public sealed class CustomArchitectureTests
{
    private const string Text = "act=gelu;depth=2;dropout=0.25;layer1.op=conv1x1;layer2.op=maxpool;width=8";

    [Test]
    public void Indexer_ActiveLabels_TypedValues()
    {
        var a = ExampleSpaces.SharedTinyCnn.Parse(Text);
        Assert.Multiple(() =>
        {
            Assert.That(a["width"], Is.EqualTo(8));
            Assert.That(a["act"], Is.EqualTo("gelu"));
            Assert.That(a["dropout"], Is.EqualTo(0.25));
            Assert.That(a.SpaceName, Is.EqualTo("tiny-cnn"));
            Assert.That(a.CanonicalForm, Is.EqualTo(Text));
        });
    }

    [Test]
    public void GetValue_InactiveLabel_ThrowsListingActiveLabels()
    {
        var a = ExampleSpaces.SharedTinyCnn.Parse(Text);
        Assert.That(() => a.GetValue<string>("layer3.op"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("act, depth, dropout, layer1.op, layer2.op, width"));
    }

    [Test]
    public void GetValue_WrongType_ThrowsNamingBothTypes()
    {
        var a = ExampleSpaces.SharedTinyCnn.Parse(Text);
        Assert.That(() => a.GetValue<string>("width"), Throws.TypeOf<InvalidCastException>().With.Message.Contains("Int32").And.Message.Contains("String"));
    }

    [Test]
    public void TryGetValue_InactiveOrWrongType_False()
    {
        var a = ExampleSpaces.SharedTinyCnn.Parse(Text);
        Assert.Multiple(() =>
        {
            Assert.That(a.TryGetValue<string>("layer3.op", out _), Is.False);
            Assert.That(a.TryGetValue<string>("width", out _), Is.False);
            Assert.That(a.TryGetValue<int>("width", out var width), Is.True);
            Assert.That(width, Is.EqualTo(8));
        });
    }

    [Test]
    public void Equals_SameValuesFromTwoSpaceInstances_EqualWithSameHash()
    {
        var a = ExampleSpaces.SharedTinyCnn.Parse(Text);
        var b = ExampleSpaces.TinyCnn().Parse("width=8;layer2.op=maxpool;layer1.op=conv1x1;dropout=0.25;depth=2;act=gelu");
        var c = ExampleSpaces.SharedTinyCnn.Parse(Text.Replace("maxpool", "conv3x3", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(b.CanonicalHash(), Is.EqualTo(a.CanonicalHash()));
            Assert.That(c, Is.Not.EqualTo(a));
        });
    }
}
