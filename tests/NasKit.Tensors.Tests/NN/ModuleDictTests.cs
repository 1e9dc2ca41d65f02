using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.NN;

public sealed class ModuleDictTests
{
    [Test]
    public void Clone_LookupAndEnumeration_ReturnTheClonesOwnChildren()
    {
        using var dict = new ModuleDict<Linear>();
        dict.Add("a", new Linear(2, 3, generator: new Generator(1)));
        dict.Add("b", new Linear(3, 1, generator: new Generator(2)));

        using var copy = (ModuleDict<Linear>)dict.Clone();
        using (Autograd.NoGrad())
        {
            copy["a"].Weight.FillInPlace(7f);
        }

        Assert.Multiple(() =>
        {
            Assert.That(copy["a"], Is.Not.SameAs(dict["a"]));
            Assert.That(copy.Values.Zip(copy.Children()).All(p => ReferenceEquals(p.First, p.Second)), Is.True, "the indexer and the registered children agree");
            Assert.That(dict["a"].Weight.ToArray(), Has.None.EqualTo(7f), "changing the clone's child leaves the original alone");
            Assert.That(copy.Keys, Is.EqualTo(new[] { "a", "b" }));
        });
    }
}
