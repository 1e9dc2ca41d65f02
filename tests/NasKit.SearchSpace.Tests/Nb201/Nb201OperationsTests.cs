using NasKit.SearchSpace.Nb201;

namespace NasKit.SearchSpace.Tests.Nb201;

public sealed class Nb201OperationsTests
{
    // NAS-Bench-201 (xautodl cell_operations.py): NAS_BENCH_201 = [none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3].
    [TestCase(Nb201Operation.None, 0, "none")]
    [TestCase(Nb201Operation.SkipConnect, 1, "skip_connect")]
    [TestCase(Nb201Operation.NorConv1x1, 2, "nor_conv_1x1")]
    [TestCase(Nb201Operation.NorConv3x3, 3, "nor_conv_3x3")]
    [TestCase(Nb201Operation.AvgPool3x3, 4, "avg_pool_3x3")]
    public void GetName_EachOperation_BenchmarkNameAndIndex(Nb201Operation operation, int index, string name)
    {
        Assert.Multiple(() =>
        {
            Assert.That((int)operation, Is.EqualTo(index));
            Assert.That(Nb201Operations.GetName(operation), Is.EqualTo(name));
            Assert.That(Nb201Operations.Parse(name), Is.EqualTo(operation));
            Assert.That(Nb201Operations.Names[index], Is.EqualTo(name));
        });
    }

    [Test]
    public void Parse_UnknownName_ThrowsListingValidNames()
    {
        var e = Assert.Throws<FormatException>(() => Nb201Operations.Parse("Nor_Conv_3x3"));
        Assert.That(e!.Message, Does.Contain("'Nor_Conv_3x3'").And.Contain("none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3"));
    }

    [Test]
    public void GetName_UndefinedValue_ThrowsWithValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Nb201Operations.GetName((Nb201Operation)5));
        Assert.That(e!.Message, Does.Contain("but got 5"));
    }
}
