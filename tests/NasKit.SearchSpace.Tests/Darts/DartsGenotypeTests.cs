using NasKit.SearchSpace.Darts;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Darts;

/// <summary>Tests of <see cref="DartsGenotype"/>: text form, canonical form and validation.</summary>
public sealed class DartsGenotypeTests
{
    // DARTS_V2 exactly as the paper's code (cnn/genotypes.py) defines and prints it, concat as a list.
    private const string DartsV2AsPublished =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], "
        + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

    private const string DartsV2Text =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), "
        + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))";

    [Test]
    public void ToString_DartsV2_IsDartsPrintFormWithRangeConcat()
    {
        Assert.That(DartsGenotype.DartsV2.ToString(), Is.EqualTo(DartsV2Text));
    }

    [Test]
    public void Parse_PublishedDartsV2WithListConcat_EqualsBuiltInAndFormatsWithRange()
    {
        var space = new DartsSearchSpace();
        var parsed = space.Parse(DartsV2AsPublished);
        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.EqualTo(DartsGenotype.DartsV2));
            Assert.That(parsed.Normal, Is.EqualTo(DartsGenotype.DartsV2.Normal));
            Assert.That(parsed.Reduce, Is.EqualTo(DartsGenotype.DartsV2.Reduce));
            Assert.That(parsed.ToString(), Is.EqualTo(DartsV2Text));
            Assert.That(space.Parse(parsed.ToString()).ToString(), Is.EqualTo(DartsV2Text));
        });
    }

    [Test]
    public void Parse_DoubleQuotesAndExtraWhitespace_SameGenotype()
    {
        var text = DartsV2Text.Replace('\'', '"').Replace(", ", " ,  ", StringComparison.Ordinal).Replace("(", "( ", StringComparison.Ordinal);
        Assert.That(new DartsSearchSpace().Parse(text).ToString(), Is.EqualTo(DartsV2Text));
    }

    [Test]
    public void Validate_DartsV1AndV2_NoErrors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DartsGenotype.DartsV1.Validate(), Is.Empty);
            Assert.That(DartsGenotype.DartsV2.Validate(), Is.Empty);
            Assert.That(DartsGenotype.DartsV1, Is.Not.EqualTo(DartsGenotype.DartsV2));
        });
    }

    [Test]
    public void Equals_PairsOfANodeSwapped_EqualWithSameHashesButDifferentText()
    {
        var normal = DartsGenotype.DartsV2.Normal.ToArray();
        (normal[4], normal[5]) = (normal[5], normal[4]);
        (normal[6], normal[7]) = (normal[7], normal[6]);
        var swapped = new DartsGenotype(normal, DartsGenotype.DartsV2.Reduce);
        Assert.Multiple(() =>
        {
            Assert.That(swapped, Is.EqualTo(DartsGenotype.DartsV2));
            Assert.That(swapped == DartsGenotype.DartsV2, Is.True);
            Assert.That(swapped.GetHashCode(), Is.EqualTo(DartsGenotype.DartsV2.GetHashCode()));
            Assert.That(swapped.CanonicalHash(), Is.EqualTo(DartsGenotype.DartsV2.CanonicalHash()));
            Assert.That(swapped.ToString(), Is.Not.EqualTo(DartsGenotype.DartsV2.ToString()));
            Assert.That(swapped.ToString(), Does.Contain("('skip_connect', 0), ('sep_conv_3x3', 1), ('dil_conv_3x3', 2), ('skip_connect', 0)"));
        });
    }

    [Test]
    public void Equals_SameInputsDifferentOperationAssignment_NotEqual()
    {
        // Node 0 reads (sep_conv_3x3 from 0, skip_connect from 1) versus (skip_connect from 0, sep_conv_3x3 from 1).
        var reduce = DartsGenotype.DartsV2.Reduce;
        var a = new DartsGenotype(Replace(DartsGenotype.DartsV2.Normal, 0, new(DartsOperation.SepConv3x3, 0), new(DartsOperation.SkipConnect, 1)), reduce);
        var b = new DartsGenotype(Replace(DartsGenotype.DartsV2.Normal, 0, new(DartsOperation.SkipConnect, 0), new(DartsOperation.SepConv3x3, 1)), reduce);
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void CanonicalForm_SortsEachNodeByInputThenOperation()
    {
        // Reduce node 1 is (skip_connect, 2), (max_pool_3x3, 1): sorted by input it becomes (max_pool_3x3, 1), (skip_connect, 2).
        Assert.That(
            DartsGenotype.DartsV2.CanonicalForm,
            Does.Contain("reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('skip_connect', 2), ('max_pool_3x3', 1), ('skip_connect', 2)]"));
    }

    [Test]
    public void Validate_EveryRuleBroken_ReportsEachWithLocation()
    {
        var normal = DartsGenotype.DartsV2.Normal.ToArray();
        normal[0] = new DartsEdge(DartsOperation.None, 0);          // none is not allowed
        normal[3] = new DartsEdge(DartsOperation.SepConv3x3, 0);    // node 1: inputs 0 and 0
        normal[7] = new DartsEdge(DartsOperation.DilConv3x3, 6);    // node 3 reads at most 4
        var reduce = DartsGenotype.DartsV2.Reduce.Take(7);          // 7 pairs
        var errors = new DartsGenotype(normal, reduce).Validate();
        var texts = errors.Select(e => e.ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Count.EqualTo(4));
            Assert.That(texts, Has.Some.StartsWith("normal node 0, pair 0: the operation must not be 'none'").And.Contains("sep_conv_3x3"));
            Assert.That(texts, Has.Some.EqualTo("normal node 1: the two inputs of a node must differ, but both are 0."));
            Assert.That(texts, Has.Some.StartsWith("normal node 3, pair 1: '0 <= input <= 4' must hold").And.EndsWith("but got input=6."));
            Assert.That(texts, Has.Some.EqualTo("reduce: a cell must have 8 (operation, input) pairs (2 for each of its 4 nodes), but got 7."));
        });
    }

    [Test]
    public void Validate_UndefinedOperationValue_Reported()
    {
        var normal = DartsGenotype.DartsV2.Normal.ToArray();
        normal[2] = new DartsEdge((DartsOperation)9, 0);
        var errors = new DartsGenotype(normal, DartsGenotype.DartsV2.Reduce).Validate();
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { "normal node 1, pair 0: the operation must be one of max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5, but got the value 9." }));
    }

    [Test]
    public void Ctor_SourceArrayChangedAfterwards_GenotypeUnchangedAndListsReadOnly()
    {
        var normal = DartsGenotype.DartsV2.Normal.ToArray();
        var genotype = new DartsGenotype(normal, DartsGenotype.DartsV2.Reduce);
        normal[0] = new DartsEdge(DartsOperation.AvgPool3x3, 1);
        Assert.Multiple(() =>
        {
            Assert.That(genotype.ToString(), Is.EqualTo(DartsV2Text));
            Assert.That(genotype.Normal, Is.Not.InstanceOf<DartsEdge[]>());
            Assert.That(genotype.GetCell(reduction: true), Is.SameAs(genotype.Reduce));
        });
    }

    private static DartsEdge[] Replace(IReadOnlyList<DartsEdge> cell, int node, DartsEdge first, DartsEdge second)
    {
        var edges = cell.ToArray();
        edges[2 * node] = first;
        edges[(2 * node) + 1] = second;
        return edges;
    }
}
