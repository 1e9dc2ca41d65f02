using NasKit.SearchSpace.Custom;

namespace NasKit.SearchSpace.Tests.Custom;

public sealed class ChoiceTests
{
    [TestCase("")]
    [TestCase("1width")]
    [TestCase("width;x")]
    [TestCase("width=1")]
    [TestCase("wi dth")]
    [TestCase("läbel")]
    public void Int_UnsafeLabel_ThrowsWithRule(string label)
    {
        var e = Assert.Throws<ArgumentException>(() => Choice.Int(label, 1, 2));
        Assert.That(e!.Message, Does.Contain("ASCII letters, digits, '_', '-' and '.'").And.Contain(label));
    }

    [TestCase("layer1.op")]
    [TestCase("_x")]
    [TestCase("stage-2.width")]
    public void Int_SafeLabel_Accepted(string label) => Assert.That(Choice.Int(label, 1, 2).Label, Is.EqualTo(label));

    [Test]
    public void Categorical_Values_CountAndTextsInOrder()
    {
        var choice = Choice.Categorical("act", "relu", "gelu", "silu");
        Assert.Multiple(() =>
        {
            Assert.That(choice.Count, Is.EqualTo(3));
            Assert.That(choice.Values, Is.EqualTo(new[] { "relu", "gelu", "silu" }));
            Assert.That(choice.ToString(), Is.EqualTo("act: one of relu, gelu, silu"));
        });
    }

    [Test]
    public void Categorical_DuplicateText_ThrowsNamingBothIndices()
    {
        var e = Assert.Throws<ArgumentException>(() => Choice.Categorical("k", 3, 5, 3));
        Assert.That(e!.Message, Does.Contain("Values 0 and 2").And.Contain("'3'"));
    }

    [Test]
    public void Categorical_UnsafeText_ThrowsWithRule()
    {
        var e = Assert.Throws<ArgumentException>(() => Choice.Categorical("act", "relu", "leaky relu"));
        Assert.That(e!.Message, Does.Contain("'leaky relu'").And.Contain("ASCII letters"));
    }

    [Test]
    public void Categorical_NoValues_Throws() =>
        Assert.That(() => Choice.Categorical<string>("act"), Throws.ArgumentException.With.Message.Contains("at least one value"));

    [Test]
    public void Layer_DuplicateName_Throws() =>
        Assert.That(
            () => Choice.Layer("op", ("id", () => new NasKit.Tensors.NN.Identity()), ("id", () => new NasKit.Tensors.NN.Identity())),
            Throws.ArgumentException.With.Message.Contains("two candidates named 'id'"));
}
