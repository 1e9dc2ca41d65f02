using NasKit.SearchSpace.Darts;
using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Darts;

/// <summary>Tests of <see cref="DartsOperations"/>: names and module construction.</summary>
public sealed class DartsOperationsTests
{
    [Test]
    public void GetName_AllOperations_PrimitivesOrder()
    {
        Assert.That(
            DartsOperations.All.Select(DartsOperations.GetName),
            Is.EqualTo(new[] { "none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5" }));
    }

    [Test]
    public void Parse_EveryName_RoundTripsAndUnknownNameListsAll()
    {
        Assert.Multiple(() =>
        {
            foreach (var op in DartsOperations.All)
            {
                Assert.That(DartsOperations.Parse(DartsOperations.GetName(op)), Is.EqualTo(op));
            }

            Assert.That(DartsOperations.TryParse("Sep_Conv_3x3", out _), Is.False, "names are case-sensitive");
            Assert.That(() => DartsOperations.Parse("conv_1x1"), Throws.ArgumentException.With.Message.Contains("'conv_1x1'").And.Message.Contains("none, max_pool_3x3"));
            Assert.That(DartsOperations.Candidates, Has.Count.EqualTo(7).And.No.EqualTo(DartsOperation.None));
        });
    }

    [TestCase(1, 6, 6)]
    [TestCase(2, 6, 3)]
    [TestCase(2, 7, 4)]
    public void Create_EveryOperation_MapsToCeilOfSizeOverStride(int stride, int size, int expected)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, 4, size, size], new Generator(1));
        foreach (var op in DartsOperations.All)
        {
            using var module = DartsOperations.Create(op, 4, stride, generator: new Generator(2));
            var y = module.Call(x);
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 4, expected, expected }), $"{op} stride {stride}");
        }
    }

    [Test]
    public void Create_SkipConnect_IdentityAtStrideOneFactorizedReduceAtStrideTwo()
    {
        using var identity = DartsOperations.Create(DartsOperation.SkipConnect, 4, 1);
        using var reduce = DartsOperations.Create(DartsOperation.SkipConnect, 4, 2);
        using var pool = DartsOperations.Create(DartsOperation.AvgPool3x3, 4, 1);
        Assert.Multiple(() =>
        {
            Assert.That(identity, Is.TypeOf<Identity>());
            Assert.That(reduce, Is.TypeOf<FactorizedReduce>());
            Assert.That(pool, Is.TypeOf<AvgPool2d>().With.Property(nameof(AvgPool2d.CountIncludePad)).False);
        });
    }

    [TestCase(DartsOperation.SepConv3x3, 2 * ((8 * 9) + (8 * 8) + 16))]
    [TestCase(DartsOperation.SepConv5x5, 2 * ((8 * 25) + (8 * 8) + 16))]
    [TestCase(DartsOperation.DilConv3x3, (8 * 9) + (8 * 8) + 16)]
    [TestCase(DartsOperation.DilConv5x5, (8 * 25) + (8 * 8) + 16)]
    [TestCase(DartsOperation.MaxPool3x3, 0)]
    public void Create_Convolutions_ParameterCountOfDepthwisePointwiseAndBatchNorm(DartsOperation op, int expected)
    {
        // Per block at C=8: depthwise C*k*k, pointwise C*C, batch norm 2C; separable convolutions stack two blocks.
        using var module = DartsOperations.Create(op, 8, 1);
        Assert.That(module.ParameterCount(), Is.EqualTo(expected));
    }

    [Test]
    public void Create_BadArguments_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => DartsOperations.Create(DartsOperation.SepConv3x3, 4, 3), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("stride=3"));
            Assert.That(() => DartsOperations.Create(DartsOperation.SepConv3x3, 0, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => DartsOperations.Create((DartsOperation)8, 4, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => DartsOperations.Create(DartsOperation.SkipConnect, 5, 2), Throws.ArgumentException.With.Message.Contains("outChannels=5"));
        });
    }
}
