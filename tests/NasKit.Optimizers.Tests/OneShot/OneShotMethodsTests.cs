using NasKit.Optimizers.OneShot;

namespace NasKit.Optimizers.Tests.OneShot;

public sealed class OneShotMethodsTests
{
    [Test]
    public void GetNameAndParse_EveryMethod_RoundTrip()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OneShotMethods.Names, Is.EqualTo(new[] { "darts", "darts2", "gdas", "spos", "zo-darts", "zo-darts+" }));
            foreach (var method in Enum.GetValues<OneShotMethod>())
            {
                Assert.That(OneShotMethods.Parse(OneShotMethods.GetName(method).ToUpperInvariant()), Is.EqualTo(method));
            }
        });
    }

    [Test]
    public void Parse_UnknownName_ThrowsListingTheNames() =>
        Assert.That(() => OneShotMethods.Parse("enas"), Throws.InstanceOf<FormatException>().With.Message.Contains("'enas'").And.Message.Contains("zo-darts+"));
}
