using NasKit.SearchSpace.Darts;
using NasKit.Supernet.Darts;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Supernet.Tests.Darts;

public sealed class DartsSearchCellTests
{
    [Test]
    public void GetEdgeIndex_EveryNodeAndInput_NumbersTheFourteenEdgesInOrder()
    {
        // Node i reads states 0..i+1: rows 0-1 feed node 0, 2-4 node 1, 5-8 node 2, 9-13 node 3.
        var indices = new List<int>();
        for (var node = 0; node < 4; node++)
        {
            for (var input = 0; input < node + 2; input++)
            {
                indices.Add(DartsSearchCell.GetEdgeIndex(node, input));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(indices, Is.EqualTo(Enumerable.Range(0, 14)));
            Assert.That(DartsSearchCell.GetEdgeIndex(2, 0), Is.EqualTo(5));
            Assert.That(DartsSearchCell.GetEdgeIndex(3, 4), Is.EqualTo(13));
        });
    }

    [Test]
    public void GetEdgeIndex_InputBeyondNode_ThrowsWithBothValues()
    {
        Assert.That(() => DartsSearchCell.GetEdgeIndex(1, 3), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("node=1, input=3"));
    }

    [Test]
    public void Forward_ReductionCell_HalvesTheSizeAndOutputsFourTimesTheChannels()
    {
        using var cell = new DartsSearchCell(6, 6, 4, reduction: true, reductionPrev: false, new Generator(1));
        using var s0 = Tensor.Randn([2, 6, 8, 8], new Generator(2));
        using var s1 = Tensor.Randn([2, 6, 8, 8], new Generator(3));
        var weights = Enumerable.Range(0, 14).Select(_ => new MixingWeights(Tensor.Full([8], 0.125f))).ToArray();
        try
        {
            using var y = cell.Forward(s0, s1, weights);
            Assert.Multiple(() =>
            {
                Assert.That(y.Shape, Is.EqualTo(new[] { 2, 16, 4, 4 }));
                Assert.That(cell.GetEdge(0).Operations, Has.Count.EqualTo(DartsOperations.All.Count));
            });
        }
        finally
        {
            foreach (var w in weights)
            {
                w.Dispose();
            }
        }
    }

    [Test]
    public void Forward_ThirteenEdgeWeights_ThrowsWithCount()
    {
        using var cell = new DartsSearchCell(4, 4, 4, reduction: false, reductionPrev: false);
        using var s = Tensor.Zeros(1, 4, 4, 4);
        Assert.That(() => cell.Forward(s, s, new MixingWeights[13]), Throws.ArgumentException.With.Message.Contains("needs 14 edge weights, but got 13"));
    }

    [Test]
    public void Constructor_OddChannelsInReductionCell_ThrowsWithValue()
    {
        Assert.That(() => new DartsSearchCell(4, 4, 3, reduction: true, reductionPrev: false), Throws.ArgumentException.With.Message.Contains("channels=3"));
    }
}
