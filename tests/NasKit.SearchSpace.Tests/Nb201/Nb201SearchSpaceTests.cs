using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

namespace NasKit.SearchSpace.Tests.Nb201;

public sealed class Nb201SearchSpaceTests
{
    private const string SectionBExample = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
    private const string WorkedExample = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private const string AllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    private const string AllConv3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    private readonly Nb201SearchSpace _space = new();

    [Test]
    public void Properties_Default_NameSizeEncodingsAndInputShape()
    {
        var cell = _space.Parse(WorkedExample);
        Assert.Multiple(() =>
        {
            Assert.That(_space.Name, Is.EqualTo("nb201"));
            Assert.That((int)_space.Size!.Value, Is.EqualTo(15_625));
            Assert.That(_space.SupportedEncodings, Is.EqualTo(new[] { ArchitectureEncoding.Integer, ArchitectureEncoding.OneHot, ArchitectureEncoding.Adjacency, ArchitectureEncoding.Path }));
            Assert.That(_space.GetInputShape(cell), Is.EqualTo(new[] { 3, 32, 32 }));
            Assert.That(new Nb201SearchSpace(Nb201NetworkOptions.ImageNet16_120).GetInputShape(cell), Is.EqualTo(new[] { 3, 16, 16 }));
        });
    }

    [Test]
    public void Parse_SectionBExample_RoundTripsExactText()
    {
        var cell = _space.Parse(SectionBExample);
        Assert.Multiple(() =>
        {
            Assert.That(cell.ToString(), Is.EqualTo(SectionBExample));
            Assert.That(cell.Operations, Is.EqualTo(new[] { Nb201Operation.NorConv3x3, Nb201Operation.NorConv3x3, Nb201Operation.AvgPool3x3, Nb201Operation.SkipConnect, Nb201Operation.NorConv3x3, Nb201Operation.SkipConnect }));
        });
    }

    [Test]
    public void Enumerate_All_15625DistinctInIndexOrder()
    {
        var cells = _space.Enumerate().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cells, Has.Count.EqualTo(15_625));
            Assert.That(cells.Select(c => c.ToString()).Distinct(StringComparer.Ordinal).Count(), Is.EqualTo(15_625));
            Assert.That(cells.Select(c => c.Index), Is.EqualTo(Enumerable.Range(0, 15_625)));
            Assert.That(cells[0].ToString(), Is.EqualTo(AllNone));
            Assert.That(cells[1].ToString(), Is.EqualTo("|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|"));
            Assert.That(cells[^1].ToString(), Is.EqualTo("|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|"));
        });
    }

    [Test]
    public void Neighbors_WorkedExample_24CellsEachOneEdgeAway()
    {
        var cell = _space.Parse(WorkedExample);
        var neighbors = _space.Neighbors(cell).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(neighbors, Has.Count.EqualTo(24));
            Assert.That(neighbors.Select(n => n.ToString()).Distinct(StringComparer.Ordinal).Count(), Is.EqualTo(24));
            Assert.That(neighbors.All(n => n.Operations.Zip(cell.Operations).Count(p => p.First != p.Second) == 1), Is.True);
            Assert.That(neighbors[0].ToString(), Is.EqualTo("|none~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"));
        });
    }

    [Test]
    public void Crossover_DisjointParents_ChildMixesBothAndIsSeeded()
    {
        var a = _space.Parse(AllNone);
        var b = _space.Parse(AllConv3);
        var child = _space.Crossover(a, b, new Generator(3));
        var again = _space.Crossover(a, b, new Generator(3));
        var fromA = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            fromA += _space.Crossover(a, b, new Generator(seed)).Operations.Count(op => op == Nb201Operation.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(again.ToString(), Is.EqualTo(child.ToString()));
            Assert.That(child.Operations.All(op => op is Nb201Operation.None or Nb201Operation.NorConv3x3), Is.True);
            // 1,200 fair coin flips: mean 600, sd ≈ 17.3; ±100 is more than 5 sd.
            Assert.That(fromA, Is.InRange(500, 700));
        });
    }

    [TestCase("|conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", 1, "unknown operation 'conv_3x3'", TestName = "Parse_UnknownOperation_PositionOfNameAndValidList")]
    [TestCase("|nor_conv_3x3~1|+|none~0|none~1|+|none~0|none~1|none~2|", 14, "must come from node 0", TestName = "Parse_WrongSource_PositionOfIndex")]
    [TestCase("|none~0|+|none~0|none~2|+|none~0|none~1|none~2|", 22, "but got ~2", TestName = "Parse_SourceOutOfOrder_PositionOfIndex")]
    [TestCase("|none~0|+|none~0|none~1|", 24, "ends after 2 group(s)", TestName = "Parse_MissingGroup_PositionAtEnd")]
    [TestCase(AllNone + "+|none~0|", 47, "a cell has 3 groups", TestName = "Parse_ExtraGroup_PositionOfPlus")]
    [TestCase("|none~0|none~1|+|none~0|none~1|+|none~0|none~1|none~2|", 8, "but its group has more entries", TestName = "Parse_TooManyEdgesInGroup_PositionOfExtraEntry")]
    [TestCase("|none~0|+|none~0|+|none~0|none~1|none~2|", 17, "but its group has only 1", TestName = "Parse_TooFewEdgesInGroup_PositionOfPlus")]
    [TestCase("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 0, "must start with '|'", TestName = "Parse_MissingLeadingBar_PositionZero")]
    [TestCase("|none~0+|none~0|none~1|+|none~0|none~1|none~2|", 7, "expected '|' after 'none~0'", TestName = "Parse_MissingBarBeforePlus_PositionOfPlus")]
    [TestCase("|none~0|+|none~0|none~1|+|none~0|none~1|none~2", 46, "the end of the text", TestName = "Parse_MissingTrailingBar_PositionAtEnd")]
    [TestCase("|none|+|none~0|none~1|+|none~0|none~1|none~2|", 5, "needs '~0'", TestName = "Parse_MissingTilde_PositionAfterName")]
    [TestCase("|none~x|+|none~0|none~1|+|none~0|none~1|none~2|", 6, "must be a node index, but got 'x'", TestName = "Parse_NonNumericSource_PositionOfSource")]
    [TestCase(AllNone + " ", 47, "goes on with ' '", TestName = "Parse_TrailingSpace_PositionOfSpace")]
    public void Parse_Malformed_ThrowsAtPosition(string text, int position, string reason)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Position, Is.EqualTo(position));
            Assert.That(e.Text, Is.EqualTo(text));
            Assert.That(e.Reason, Does.Contain(reason));
            Assert.That(e.Message, Does.Contain($"position {position}"));
        });
    }

    [Test]
    public void Parse_UnknownOperation_MessageListsValidOperations()
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse("|none~0|+|none~0|sep_conv_3x3~1|+|none~0|none~1|none~2|"));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Position, Is.EqualTo(17));
            Assert.That(e.Message, Does.Contain("none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3"));
        });
    }

    [Test]
    public void Encode_IntegerAndOneHot_WorkedExample()
    {
        var cell = _space.Parse(WorkedExample);
        var oneHot = new float[30];
        foreach (var i in new[] { 3, 8, 13, 16, 23, 27 })
        {
            oneHot[i] = 1f;
        }

        Assert.Multiple(() =>
        {
            Assert.That(_space.Encode(cell, ArchitectureEncoding.Integer), Is.EqualTo(new float[] { 3, 3, 3, 1, 3, 2 }));
            Assert.That(_space.Encode(cell, ArchitectureEncoding.OneHot), Is.EqualTo(oneHot));
        });
    }

    [Test]
    public void Encode_Adjacency_FixedOpOnNodeGraphAndOneHotOps()
    {
        var cell = _space.Parse(WorkedExample);
        var v = _space.Encode(cell, ArchitectureEncoding.Adjacency);

        // Hand-worked op-on-node DAG: 0 = input; 1..6 = edges 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2; 7 = output.
        // input -> {1<-0, 2<-0, 3<-0}; 1<-0 -> {2<-1, 3<-1}; 2<-0 and 2<-1 -> {3<-2}; 3<-* -> output.
        var expected = new float[94];
        foreach (var (r, c) in new[] { (0, 1), (0, 2), (0, 4), (1, 3), (1, 5), (2, 6), (3, 6), (4, 7), (5, 7), (6, 7) })
        {
            expected[(8 * r) + c] = 1f;
        }

        foreach (var i in new[] { 3, 8, 13, 16, 23, 27 })
        {
            expected[64 + i] = 1f;
        }

        Assert.That(v, Is.EqualTo(expected));
    }

    [Test]
    public void Encode_Path_WorkedExampleCountedByHand()
    {
        // Alphabet skip=0, conv1=1, conv3=2, pool=3. Paths: 3<-0 (skip) -> 0; 1<-0,3<-1 (c3,c3) -> 4+4*2+2 = 14;
        // 2<-0,3<-2 (c3,c1) -> 4+4*2+1 = 13; 1<-0,2<-1,3<-2 (c3,c3,c1) -> 20+16*2+4*2+1 = 61.
        var expected = new float[84];
        expected[0] = expected[13] = expected[14] = expected[61] = 1f;
        Assert.That(_space.Encode(_space.Parse(WorkedExample), ArchitectureEncoding.Path), Is.EqualTo(expected));
    }

    [Test]
    public void Encode_Path_SharedSequenceCountsTwiceAndNoneDropsPaths()
    {
        // All conv3: (c3) -> 2; two length-2 paths (c3,c3) -> 4+8+2 = 14 twice; (c3,c3,c3) -> 20+32+8+2 = 62.
        var allConv = new float[84];
        allConv[2] = 1f;
        allConv[14] = 2f;
        allConv[62] = 1f;

        // Edge 1<-0 none kills the paths through node 1: left are 3<-0 (pool) -> 3 and 2<-0,3<-2 (skip, conv1) -> 4+0+1 = 5.
        var cut = _space.Parse("|none~0|+|skip_connect~0|avg_pool_3x3~1|+|avg_pool_3x3~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        var cutExpected = new float[84];
        cutExpected[3] = 1f;
        cutExpected[5] = 1f;
        Assert.Multiple(() =>
        {
            Assert.That(_space.Encode(_space.Parse(AllConv3), ArchitectureEncoding.Path), Is.EqualTo(allConv));
            Assert.That(_space.Encode(cut, ArchitectureEncoding.Path), Is.EqualTo(cutExpected));
            Assert.That(_space.Encode(_space.Parse(AllNone), ArchitectureEncoding.Path), Is.All.EqualTo(0f));
        });
    }

    [Test]
    public void GetEncodingLength_EachEncoding_DocumentedLength()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_space.GetEncodingLength(ArchitectureEncoding.Integer), Is.EqualTo(6));
            Assert.That(_space.GetEncodingLength(ArchitectureEncoding.OneHot), Is.EqualTo(30));
            Assert.That(_space.GetEncodingLength(ArchitectureEncoding.Adjacency), Is.EqualTo(94));
            Assert.That(_space.GetEncodingLength(ArchitectureEncoding.Path), Is.EqualTo(84));
        });
    }

    [Test]
    public void Build_Default_Nb201NetworkWithSpaceOptions()
    {
        var options = new Nb201NetworkOptions { Channels = 4, CellsPerStage = 1, InputSize = 8, Classes = 3 };
        using var network = new Nb201SearchSpace(options).Build(_space.Parse(WorkedExample));
        Assert.That(network, Is.TypeOf<Nb201Network>());
        Assert.That(((Nb201Network)network).Options, Is.SameAs(options));
    }
}
