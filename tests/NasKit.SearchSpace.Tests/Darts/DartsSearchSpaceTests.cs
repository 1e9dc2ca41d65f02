using System.Numerics;
using NasKit.SearchSpace.Darts;
using NasKit.Tensors;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Darts;

/// <summary>Tests of <see cref="DartsSearchSpace"/> beyond the shared conformance suite.</summary>
public sealed class DartsSearchSpaceTests
{
    private const string V2 =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), "
        + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))";

    private readonly DartsSearchSpace _space = new();

    [Test]
    public void Size_Default_ProductOverNodesOfUnorderedInputPairsTimesFortyNineSquared()
    {
        // Per cell: node i has C(i+2, 2) unordered input pairs and 7*7 operation choices: (1*49)(3*49)(6*49)(10*49) = 1,037,664,180.
        var perCell = new BigInteger(1037664180);
        Assert.Multiple(() =>
        {
            Assert.That(_space.Size, Is.EqualTo(perCell * perCell));
            Assert.That(_space.Size, Is.EqualTo(BigInteger.Parse("1076746950455072400", System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public void Enumerate_Prefix_ValidDistinctCanonicalGenotypes()
    {
        // The last node of the reduction cell varies fastest: 10 input pairs x 49 operation pairs = 490 values before node 2 moves.
        var prefix = _space.Enumerate().Take(1500).ToList();
        var first = "Genotype(normal=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1)], normal_concat=range(2, 6), "
            + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))";
        Assert.Multiple(() =>
        {
            Assert.That(prefix[0].ToString(), Is.EqualTo(first));
            Assert.That(prefix[1].Reduce[7], Is.EqualTo(new DartsEdge(DartsOperation.AvgPool3x3, 1)));
            Assert.That(prefix[49].Reduce.Skip(6), Is.EqualTo(new[] { new DartsEdge(DartsOperation.MaxPool3x3, 0), new DartsEdge(DartsOperation.MaxPool3x3, 2) }));
            Assert.That(prefix[490].Reduce.Skip(4), Is.EqualTo(new[] { new DartsEdge(DartsOperation.MaxPool3x3, 0), new DartsEdge(DartsOperation.AvgPool3x3, 1), new DartsEdge(DartsOperation.MaxPool3x3, 0), new DartsEdge(DartsOperation.MaxPool3x3, 1) }));
            Assert.That(prefix.Select(a => a.CanonicalForm), Is.Unique);
            Assert.That(prefix.All(a => a.ToString() == a.CanonicalForm && _space.Validate(a).Count == 0), Is.True);
        });
    }

    [Test]
    public void SupportedEncodings_Default_IntegerOneHotAdjacencyWithoutPath()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_space.SupportedEncodings, Is.EqualTo(new[] { ArchitectureEncoding.Integer, ArchitectureEncoding.OneHot, ArchitectureEncoding.Adjacency }));
            Assert.That(_space.GetEncodingLength(ArchitectureEncoding.Integer), Is.EqualTo(32));
            Assert.That(_space.GetEncodingLength(ArchitectureEncoding.OneHot), Is.EqualTo(168));
            Assert.That(_space.GetEncodingLength(ArchitectureEncoding.Adjacency), Is.EqualTo(224));
            Assert.That(() => _space.GetEncodingLength(ArchitectureEncoding.Path), Throws.TypeOf<NotSupportedException>());
        });
    }

    [Test]
    public void Encode_IntegerOfDartsV2_OperationIndexThenInputPerPair()
    {
        // PRIMITIVES indices: max_pool_3x3 1, skip_connect 3, sep_conv_3x3 4, dil_conv_3x3 6.
        float[] expected =
        [
            4, 0, 4, 1, 4, 0, 4, 1, 4, 1, 3, 0, 3, 0, 6, 2,
            1, 0, 1, 1, 3, 2, 1, 1, 1, 0, 3, 2, 3, 2, 1, 1,
        ];
        Assert.That(_space.Encode(DartsGenotype.DartsV2, ArchitectureEncoding.Integer), Is.EqualTo(expected));
    }

    [Test]
    public void Encode_OneHotOfDartsV2_OneHotPerVariableMatchingInteger()
    {
        var oneHot = _space.Encode(DartsGenotype.DartsV2, ArchitectureEncoding.OneHot);
        var integer = _space.Encode(DartsGenotype.DartsV2, ArchitectureEncoding.Integer);
        var decoded = new List<float>();
        var offset = 0;
        for (var cell = 0; cell < 2; cell++)
        {
            for (var k = 0; k < 8; k++)
            {
                var op = oneHot.AsSpan(offset, 7).ToArray();
                offset += 7;
                var input = oneHot.AsSpan(offset, (k / 2) + 2).ToArray();
                offset += (k / 2) + 2;
                Assert.That(op.Sum() + input.Sum(), Is.EqualTo(2f));
                decoded.Add(Array.IndexOf(op, 1f) + 1);
                decoded.Add(Array.IndexOf(input, 1f));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(offset, Is.EqualTo(oneHot.Length));
            Assert.That(decoded, Is.EqualTo(integer));
        });
    }

    [Test]
    public void Encode_AdjacencyOfDartsV2_LabelsEachSupernetEdge()
    {
        var v = _space.Encode(DartsGenotype.DartsV2, ArchitectureEncoding.Adjacency);

        // Expected normal-cell edge labels in supernet order (node 0: from 0, 1; node 1: 0..2; node 2: 0..3; node 3: 0..4).
        DartsOperation[] normal =
        [
            DartsOperation.SepConv3x3, DartsOperation.SepConv3x3,
            DartsOperation.SepConv3x3, DartsOperation.SepConv3x3, DartsOperation.None,
            DartsOperation.SkipConnect, DartsOperation.SepConv3x3, DartsOperation.None, DartsOperation.None,
            DartsOperation.SkipConnect, DartsOperation.None, DartsOperation.DilConv3x3, DartsOperation.None, DartsOperation.None,
        ];
        var labels = Enumerable.Range(0, 28).Select(e => (DartsOperation)Array.IndexOf(v.AsSpan(e * 8, 8).ToArray(), 1f)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(labels.Take(14), Is.EqualTo(normal));
            Assert.That(v.Sum(), Is.EqualTo(28f), "exactly one label per edge");
            Assert.That(labels.Skip(14).Count(o => o != DartsOperation.None), Is.EqualTo(8));
        });
    }

    [Test]
    public void Encode_SwappedPairs_AdjacencyEqualIntegerDifferent()
    {
        var normal = DartsGenotype.DartsV2.Normal.ToArray();
        (normal[4], normal[5]) = (normal[5], normal[4]);
        var swapped = new DartsGenotype(normal, DartsGenotype.DartsV2.Reduce);
        Assert.Multiple(() =>
        {
            Assert.That(_space.Encode(swapped, ArchitectureEncoding.Adjacency), Is.EqualTo(_space.Encode(DartsGenotype.DartsV2, ArchitectureEncoding.Adjacency)));
            Assert.That(_space.Encode(swapped, ArchitectureEncoding.Integer), Is.Not.EqualTo(_space.Encode(DartsGenotype.DartsV2, ArchitectureEncoding.Integer)));
        });
    }

    [Test]
    public void Neighbors_DartsV2_OneHundredTwentyCanonicallyDistinct()
    {
        // 16 pairs x 6 other operations = 96; input changes: node i has i free inputs per pair, 2*(0+1+2+3) = 12 per cell.
        var neighbors = _space.Neighbors(DartsGenotype.DartsV2).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(neighbors, Has.Count.EqualTo(120));
            Assert.That(neighbors.Select(n => n.CanonicalForm), Is.Unique);
            Assert.That(neighbors, Has.None.EqualTo(DartsGenotype.DartsV2));
        });
    }

    [Test]
    public void Neighbors_InputChange_NeverCollidesWithOtherInput()
    {
        var inputNeighbors = _space.Neighbors(DartsGenotype.DartsV2)
            .Where(n => Enumerable.Range(0, 8).Any(k => n.Normal[k].Input != DartsGenotype.DartsV2.Normal[k].Input))
            .ToList();

        // Normal cell: node 1 (inputs 0, 1) can move either pair to 2; node 2 (1, 0) to 2 or 3; node 3 (0, 2) to 1, 3 or 4.
        Assert.That(inputNeighbors, Has.Count.EqualTo(12));
    }

    [Test]
    public void Sample_ManyDraws_OperationsAndInputsRoughlyUniform()
    {
        var g = new Generator(123);
        var opCounts = new int[8];
        var node3Inputs = new int[5];
        const int Draws = 2000;
        for (var i = 0; i < Draws; i++)
        {
            var a = _space.Sample(g);
            foreach (var e in a.Normal.Concat(a.Reduce))
            {
                opCounts[(int)e.Operation]++;
            }

            node3Inputs[a.Normal[6].Input]++;
            node3Inputs[a.Normal[7].Input]++;
        }

        // 32000 operations over 7 choices: expected 4571 each (sd about 63); 4000 node-3 inputs over 5: expected 800 (sd about 25).
        Assert.Multiple(() =>
        {
            Assert.That(opCounts[0], Is.Zero, "none is never sampled");
            Assert.That(opCounts.Skip(1), Has.All.InRange(4300, 4850));
            Assert.That(node3Inputs, Has.All.InRange(700, 900));
        });
    }

    [Test]
    public void Crossover_ParentsDisagreeOnInputs_ChildNodesKeepDistinctInputs()
    {
        // Parent a's node 3 reads (0, 1) and parent b's reads (1, 0): independent picks would often give (0, 0) or (1, 1).
        var a = new DartsGenotype(WithNode(DartsGenotype.DartsV2.Normal, 3, new(DartsOperation.SepConv5x5, 0), new(DartsOperation.DilConv5x5, 1)), DartsGenotype.DartsV2.Reduce);
        var b = new DartsGenotype(WithNode(DartsGenotype.DartsV2.Normal, 3, new(DartsOperation.AvgPool3x3, 1), new(DartsOperation.MaxPool3x3, 0)), DartsGenotype.DartsV2.Reduce);
        var g = new Generator(5);
        var seen = new HashSet<(int, int)>();
        for (var i = 0; i < 200; i++)
        {
            var child = _space.Crossover(a, b, g);
            Assert.That(_space.Validate(child), Is.Empty, child.ToString());
            seen.Add((child.Normal[6].Input, child.Normal[7].Input));
        }

        Assert.That(seen, Is.EquivalentTo(new[] { (0, 1), (1, 0) }));
    }

    [Test]
    public void Parse_UnknownOperation_PositionAtNameAndListsValidOperations()
    {
        var text = V2.Replace("('dil_conv_3x3', 2)", "('conv_7x1_1x7', 2)", StringComparison.Ordinal);
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Position, Is.EqualTo(text.IndexOf("'conv_7x1_1x7'", StringComparison.Ordinal)));
            Assert.That(e.Reason, Is.EqualTo("unknown operation 'conv_7x1_1x7'; the operations are max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5."));
            Assert.That(e.Message, Does.Contain("position " + e.Position));
        });
    }

    [Test]
    public void Parse_NoneOperation_RejectedAtItsPosition()
    {
        var text = V2.Replace("('max_pool_3x3', 0), ('skip_connect', 2)", "('none', 0), ('skip_connect', 2)", StringComparison.Ordinal);
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Position, Is.EqualTo(text.IndexOf("'none'", StringComparison.Ordinal)));
            Assert.That(e.Reason, Does.StartWith("the operation 'none' is not allowed").And.Contain("max_pool_3x3, avg_pool_3x3"));
        });
    }

    [TestCase("('dil_conv_3x3', 2)]", "('dil_conv_3x3', 5)]", "'0 <= input <= 4' must hold for node 3 of the normal cell")]
    [TestCase("('skip_connect', 0), ('dil_conv_3x3', 2)]", "('skip_connect', 0), ('dil_conv_3x3', 0)]", "the two inputs of node 3 of the normal cell must differ, but both are 0.")]
    public void Parse_BadInput_PositionAtTheInputIndex(string find, string replace, string reason)
    {
        var text = V2.Replace(find, replace, StringComparison.Ordinal);
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text))!;
        var at = text.IndexOf(replace, StringComparison.Ordinal) + replace.LastIndexOf(',') + 2;
        Assert.Multiple(() =>
        {
            Assert.That(e.Position, Is.EqualTo(at));
            Assert.That(e.Reason, Does.StartWith(reason));
        });
    }

    [Test]
    public void Parse_SevenPairs_PositionAtClosingBracket()
    {
        var text = V2.Replace(", ('dil_conv_3x3', 2)]", "]", StringComparison.Ordinal);
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Position, Is.EqualTo(text.IndexOf("], normal_concat", StringComparison.Ordinal)));
            Assert.That(e.Reason, Is.EqualTo("the normal cell must have 8 (operation, input) pairs (2 for each of its 4 nodes), but got 7."));
        });
    }

    [Test]
    public void Parse_NinePairs_PositionAtNinthPair()
    {
        var text = V2.Replace("('dil_conv_3x3', 2)]", "('dil_conv_3x3', 2), ('skip_connect', 1)]", StringComparison.Ordinal);
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text))!;
        Assert.That(e.Position, Is.EqualTo(text.IndexOf("('skip_connect', 1)]", StringComparison.Ordinal)));
    }

    [TestCase("normal_concat=range(2, 6)", "normal_concat=range(2, 5)")]
    [TestCase("reduce_concat=range(2, 6)", "reduce_concat=[2, 3, 5]")]
    public void Parse_OtherConcat_RejectedAtConcatValue(string find, string replace)
    {
        var text = V2.Replace(find, replace, StringComparison.Ordinal);
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Position, Is.EqualTo(text.IndexOf(replace, StringComparison.Ordinal) + replace.IndexOf('=') + 1));
            Assert.That(e.Reason, Does.Contain("must be range(2, 6) or [2, 3, 4, 5]"));
        });
    }

    [TestCase("Genotype(normal=[('sep_conv_3x3', 0)", 36, "expected ',' or ']'")]
    [TestCase("Genotype(reduce=[", 9, "expected 'normal=', but found 'reduce'")]
    [TestCase("genotype(", 0, "expected 'Genotype', but found 'genotype'")]
    [TestCase("Genotype(normal=[('sep_conv_3x3, 0)", 18, "the quoted operation name is not closed.")]
    public void Parse_Truncated_ReasonAndPosition(string text, int position, string reason)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(text))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Position, Is.EqualTo(position));
            Assert.That(e.Reason, Does.StartWith(reason));
        });
    }

    [Test]
    public void Parse_TrailingText_PositionAfterClosingParenthesis()
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => _space.Parse(V2 + " extra"))!;
        Assert.That(e.Position, Is.EqualTo(V2.Length + 1));
    }

    [Test]
    public void Ctor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new DartsNetworkOptions { Channels = 0, Classes = -1, DropPathProbability = 1, AuxiliaryHead = true, InputSize = 16 };
        var e = Assert.Throws<ArgumentException>(() => _ = new DartsSearchSpace(options))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.Contain("'Channels > 0' must hold, but got Channels=0."));
            Assert.That(e.Message, Does.Contain("'Classes > 0' must hold, but got Classes=-1."));
            Assert.That(e.Message, Does.Contain("'0 <= DropPathProbability < 1' must hold, but got DropPathProbability=1."));
            Assert.That(e.Message, Does.Contain("auxiliary head needs a feature map of at least 8x8").And.Contain("InputSize=16"));
        });
    }

    [Test]
    public void Build_InvalidGenotype_ThrowsValidationException()
    {
        var normal = DartsGenotype.DartsV2.Normal.ToArray();
        normal[1] = normal[1] with { Input = 0 };
        var bad = new DartsGenotype(normal, DartsGenotype.DartsV2.Reduce);
        var e = Assert.Throws<SearchSpaceValidationException>(() => _space.Build(bad))!;
        Assert.That(e.Errors.Select(x => x.Location), Is.EqualTo(new[] { "normal node 0" }));
    }

    [Test]
    public void GetInputShape_Options_ChannelsAndSize()
    {
        var space = new DartsSearchSpace(new DartsNetworkOptions { InputChannels = 1, InputSize = 28 });
        Assert.That(space.GetInputShape(DartsGenotype.DartsV1), Is.EqualTo(new[] { 1, 28, 28 }));
    }

    private static DartsEdge[] WithNode(IReadOnlyList<DartsEdge> cell, int node, DartsEdge first, DartsEdge second)
    {
        var edges = cell.ToArray();
        edges[2 * node] = first;
        edges[(2 * node) + 1] = second;
        return edges;
    }
}
