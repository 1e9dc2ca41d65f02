using NasKit.SearchSpace.Nb201;

namespace NasKit.SearchSpace.Tests.Nb201;

public sealed class Nb201CellTests
{
    // ALGORITHMS.md §5(b) example and §5(d) worked example.
    private const string SectionBExample = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
    private const string WorkedExample = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private const string AllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";

    private static readonly Nb201SearchSpace s_space = new();

    [Test]
    public void Ctor_SectionBExample_OperationsInEdge2IndexOrderAndTextForm()
    {
        var cell = new Nb201Cell(
            Nb201Operation.NorConv3x3,
            Nb201Operation.NorConv3x3,
            Nb201Operation.AvgPool3x3,
            Nb201Operation.SkipConnect,
            Nb201Operation.NorConv3x3,
            Nb201Operation.SkipConnect);
        Assert.Multiple(() =>
        {
            Assert.That(cell.ToString(), Is.EqualTo(SectionBExample));
            Assert.That(cell.SpaceName, Is.EqualTo("nb201"));
            Assert.That(cell[2, 1], Is.EqualTo(Nb201Operation.AvgPool3x3));
            Assert.That(cell.GetOperation(3, 0), Is.EqualTo(Nb201Operation.SkipConnect));
            Assert.That(cell.GetOperation(3, 1), Is.EqualTo(Nb201Operation.NorConv3x3));
            Assert.That(s_space.Parse(SectionBExample).Operations, Is.EqualTo(cell.Operations));
        });
    }

    [TestCase(1, 0, 0)]
    [TestCase(2, 0, 1)]
    [TestCase(2, 1, 2)]
    [TestCase(3, 0, 3)]
    [TestCase(3, 1, 4)]
    [TestCase(3, 2, 5)]
    public void GetEdgeIndex_EachEdge_MatchesEdge2Index(int to, int from, int index)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Nb201Cell.GetEdgeIndex(to, from), Is.EqualTo(index));
            Assert.That(Nb201Cell.GetEdge(index), Is.EqualTo((to, from)));
            Assert.That(Nb201Cell.GetEdgeName(index), Is.EqualTo($"{to}<-{from}"));
        });
    }

    [TestCase(1, 1)]
    [TestCase(0, 0)]
    [TestCase(4, 0)]
    [TestCase(2, -1)]
    public void GetEdgeIndex_NotAnEdge_ThrowsWithBothNodes(int to, int from)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Nb201Cell.GetEdgeIndex(to, from));
        Assert.That(e!.Message, Does.Contain($"to={to}, from={from}"));
    }

    [Test]
    public void Ctor_WrongCountOrUndefinedOperation_Throws()
    {
        Assert.Multiple(() =>
        {
            var count = Assert.Throws<ArgumentException>(() => _ = new Nb201Cell(Nb201Operation.None, Nb201Operation.None));
            Assert.That(count!.Message, Does.Contain("but got 2"));
            var undefined = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Nb201Cell(0, 0, (Nb201Operation)7, 0, 0, 0));
            Assert.That(undefined!.Message, Does.Contain("2<-1").And.Contain("but got 7"));
        });
    }

    [Test]
    public void FromIndex_EveryIndex_RoundTripsThroughIndex()
    {
        for (var i = 0; i < Nb201Cell.TotalCount; i++)
        {
            var cell = Nb201Cell.FromIndex(i);
            if (cell.Index != i)
            {
                Assert.Fail($"FromIndex({i}).Index = {cell.Index}");
            }
        }

        // Base 5, edge 1<-0 most significant: 1*5^5 + 2*5^4 + 3*5^3 + 4*5^2 + 0*5 + 1 = 3125 + 1250 + 375 + 100 + 1 = 4851.
        Assert.That(Nb201Cell.FromIndex(4851).Operations, Is.EqualTo(new[] { Nb201Operation.SkipConnect, Nb201Operation.NorConv1x1, Nb201Operation.NorConv3x3, Nb201Operation.AvgPool3x3, Nb201Operation.None, Nb201Operation.SkipConnect }));
        Assert.That(() => Nb201Cell.FromIndex(15_625), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("15625"));
    }

    [Test]
    public void FunctionalForm_WorkedExample_HandDerivedExpression()
    {
        // n1 = c3(x); n2 = c3(x) + c3(n1); n3 = x + c3(n1) + c1(n2); terms sorted ordinally ('n' < 'x').
        var cell = s_space.Parse(WorkedExample);
        Assert.That(cell.FunctionalForm, Is.EqualTo("[nor_conv_1x1([nor_conv_3x3(nor_conv_3x3(x))+nor_conv_3x3(x)])+nor_conv_3x3(nor_conv_3x3(x))+x]"));
    }

    [Test]
    public void CanonicalForm_WorkedExample_HandDerivedString()
    {
        // NAS-Bench-201 Structure.to_unique_str(consider_zero=True), applied by hand: '(' (0x28) sorts before '0' (0x30).
        var cell = s_space.Parse(WorkedExample);
        Assert.That(cell.CanonicalForm, Is.EqualTo("(((0)@nor_conv_3x3)@nor_conv_3x3+(0)@nor_conv_3x3)@nor_conv_1x1+((0)@nor_conv_3x3)@nor_conv_3x3+0"));
    }

    [Test]
    public void FunctionalForm_AllCells_5773DistinctForms()
    {
        // The rule documented on Nb201Cell.FunctionalForm gives 5,773 classes; an independent Python implementation of the same rule
        // (zero terms dropped, sorted multisets, nested sums kept) gives 5,773 too. It is NOT the benchmark's 6,466: see the next test.
        var forms = new HashSet<string>(StringComparer.Ordinal);
        var zero = 0;
        foreach (var cell in s_space.Enumerate())
        {
            forms.Add(cell.FunctionalForm);
            zero += cell.IsOutputZero ? 1 : 0;
        }

        Assert.Multiple(() =>
        {
            Assert.That(forms, Has.Count.EqualTo(5773));
            // Python check of the same rule: 341 of the 15,625 cells have an identically zero output.
            Assert.That(zero, Is.EqualTo(341));
        });
    }

    [Test]
    public void CanonicalForm_AllCells_6466DistinctStrings()
    {
        // NAS-Bench-201 (ICLR'20) reports 6,466 unique cells among 15,625 (ALGORITHMS.md §5(c)).
        var strings = s_space.Enumerate().Select(c => c.CanonicalForm).ToHashSet(StringComparer.Ordinal);
        var cells = s_space.Enumerate().ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(strings, Has.Count.EqualTo(6466));
            Assert.That(cells, Has.Count.EqualTo(6466), "equality and hashing go by the canonical form");
        });
    }

    // Pairs that compute the same expression (hand-worked).
    [TestCase(
        "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|",
        "|none~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|skip_connect~2|",
        TestName = "FunctionalForm_TermOrderDiffers_Equal")]
    [TestCase(
        "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|",
        "|skip_connect~0|+|none~0|none~1|+|nor_conv_3x3~0|skip_connect~1|none~2|",
        TestName = "FunctionalForm_SkipSwapsWithOp_Equal")]
    [TestCase(
        "|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|nor_conv_1x1~2|",
        "|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|",
        TestName = "FunctionalForm_SkipChainCollapses_Equal")]
    [TestCase(
        "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|none~2|",
        AllNone,
        TestName = "FunctionalForm_OnlyPathThroughNone_ZeroLikeAllNone")]
    [TestCase(
        "|none~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|",
        AllNone,
        TestName = "FunctionalForm_EdgesOutOfZeroNodes_Zero")]
    [TestCase(
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|",
        "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|",
        TestName = "FunctionalForm_DisconnectedIntermediateNodes_Ignored")]
    public void FunctionalForm_IsomorphicPair_Equal(string a, string b)
    {
        var (x, y) = (s_space.Parse(a), s_space.Parse(b));
        Assert.Multiple(() =>
        {
            Assert.That(x.ToString(), Is.Not.EqualTo(y.ToString()));
            Assert.That(x.FunctionalForm, Is.EqualTo(y.FunctionalForm));
        });
    }

    // Pairs the benchmark's rule (hence equality) also identifies (hand-worked with Structure.to_unique_str's rule).
    [TestCase(
        "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|",
        "|skip_connect~0|+|none~0|none~1|+|nor_conv_3x3~0|skip_connect~1|none~2|")]
    [TestCase("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|none~2|", AllNone)]
    [TestCase(
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|",
        "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|")]
    public void Equals_BenchmarkIsomorphicPair_EqualWithSameHashes(string a, string b)
    {
        var (x, y) = (s_space.Parse(a), s_space.Parse(b));
        Assert.Multiple(() =>
        {
            Assert.That(x, Is.EqualTo(y));
            Assert.That(x.GetHashCode(), Is.EqualTo(y.GetHashCode()));
            Assert.That(x.CanonicalHash(), Is.EqualTo(y.CanonicalHash()));
        });
    }

    // Functionally equal, but the benchmark's rule keeps the zero terms ("x + 0" vs "x"), so they are distinct cells of its 6,466.
    [TestCase(
        "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|",
        "|none~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|skip_connect~2|")]
    [TestCase(
        "|none~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|",
        AllNone)]
    public void Equals_FunctionallyEqualWithZeroTerms_NotEqualUnderBenchmarkRule(string a, string b)
    {
        var (x, y) = (s_space.Parse(a), s_space.Parse(b));
        Assert.Multiple(() =>
        {
            Assert.That(x.FunctionalForm, Is.EqualTo(y.FunctionalForm));
            Assert.That(x, Is.Not.EqualTo(y));
        });
    }

    // Pairs that differ (hand-worked).
    [TestCase(
        "|skip_connect~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|",
        "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|",
        TestName = "FunctionalForm_DuplicateTermsKept_XPlusXDiffersFromX")]
    [TestCase(
        "|avg_pool_3x3~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|",
        "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|avg_pool_3x3~1|none~2|",
        TestName = "FunctionalForm_OpOrderAlongPath_Differs")]
    [TestCase(
        "|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|",
        "|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|",
        TestName = "FunctionalForm_DifferentKernel_Differs")]
    [TestCase(
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
        "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|",
        TestName = "FunctionalForm_ZeroVersusIdentity_Differs")]
    public void FunctionalForm_DifferentFunctions_NotEqual(string a, string b)
    {
        var (x, y) = (s_space.Parse(a), s_space.Parse(b));
        Assert.Multiple(() =>
        {
            Assert.That(x.FunctionalForm, Is.Not.EqualTo(y.FunctionalForm));
            Assert.That(x, Is.Not.EqualTo(y));
        });
    }

    [TestCase("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|", new[] { 0, 1, 2, 4, 5 }, false, TestName = "DeadEdges_NodeOneDoesNotReachOutput_EdgeIntoItDead")]
    [TestCase("|none~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|", new[] { 0, 1, 2, 3, 4, 5 }, true, TestName = "DeadEdges_ZeroSourceNodes_AllDead")]
    [TestCase(WorkedExample, new int[0], false, TestName = "DeadEdges_WorkedExample_None")]
    [TestCase("|skip_connect~0|+|nor_conv_1x1~0|none~1|+|none~0|avg_pool_3x3~1|none~2|", new[] { 1, 2, 3, 5 }, false, TestName = "DeadEdges_NodeTwoUnused_EdgesIntoAndOutDead")]
    public void DeadEdges_HandWorkedCell_Expected(string text, int[] dead, bool zero)
    {
        var cell = s_space.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(cell.DeadEdges, Is.EqualTo(dead));
            Assert.That(cell.IsOutputZero, Is.EqualTo(zero));
        });
    }

    [Test]
    public void DeadEdges_AllCells_SettingThemToNoneKeepsCanonicalForm()
    {
        foreach (var cell in s_space.Enumerate())
        {
            var pruned = cell;
            foreach (var e in cell.DeadEdges)
            {
                pruned = pruned.WithOperation(e, Nb201Operation.None);
            }

            // Reviving a live edge's op must change something unless it is dead; check the one rule that pins both directions:
            // every live edge matters, i.e. setting it to none changes the canonical form.
            var live = Enumerable.Range(0, Nb201Cell.EdgeCount).Except(cell.DeadEdges);
            var liveMatters = live.All(e => cell.WithOperation(e, Nb201Operation.None).FunctionalForm != cell.FunctionalForm);
            if (pruned.FunctionalForm != cell.FunctionalForm || !liveMatters || cell.IsOutputZero != (cell.DeadEdges.Count == Nb201Cell.EdgeCount))
            {
                Assert.Fail($"{cell}: dead {string.Join(",", cell.DeadEdges)}, canonical {cell.FunctionalForm}, pruned {pruned.FunctionalForm}, live edges matter: {liveMatters}");
            }
        }
    }

    [Test]
    public void WithOperation_OneEdge_ReplacesOnlyThatEdge()
    {
        var cell = s_space.Parse(WorkedExample).WithOperation(4, Nb201Operation.AvgPool3x3);
        Assert.That(cell.ToString(), Is.EqualTo("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_1x1~2|"));
    }
}
