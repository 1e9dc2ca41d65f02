using System.Globalization;
using NasKit.SearchSpace.Custom;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Tests.Custom;

public sealed class CustomSearchSpaceTests
{
    private const string Depth1 = "act=gelu;depth=1;dropout=0.5;layer1.op=maxpool;width=8";

    [Test]
    public void Size_TinyCnn_CountsEveryLeafOfTheDecisionTree() =>
        Assert.That(ExampleSpaces.SharedTinyCnn.Size, Is.EqualTo(new System.Numerics.BigInteger(468))); // 2 widths · 2 acts · 3 dropouts · (3 + 3² + 3³) op sequences

    [Test]
    public void Labels_TinyCnn_EveryLabelOfEveryDepthInOrdinalOrder() =>
        Assert.That(ExampleSpaces.SharedTinyCnn.Labels, Is.EqualTo(new[] { "act", "depth", "dropout", "layer1.op", "layer2.op", "layer3.op", "width" }));

    [Test]
    public void Enumerate_TinyCnn_StartsWithAllDefaults() =>
        Assert.That(ExampleSpaces.SharedTinyCnn.Enumerate().First().ToString(), Is.EqualTo("act=relu;depth=1;dropout=0;layer1.op=conv3x3;width=4"));

    [Test]
    public void Size_ContinuousChoice_Null()
    {
        var space = ExampleSpaces.Mixed();
        Assert.Multiple(() =>
        {
            Assert.That(space.Size, Is.Null);
            Assert.That(space.SupportedEncodings, Is.EqualTo(new[] { ArchitectureEncoding.Integer }));
            Assert.That(space.Labels, Is.EqualTo(new[] { "head", "inputs", "mlp.hidden", "scale" }));
        });
    }

    [Test]
    public void Size_LargeUnconditionalSpace_ProductOfChoiceSizes()
    {
        var options = new CustomSearchSpaceOptions { ExplorationBudget = 50, ExplorationSamples = 8 };
        var space = new CustomSearchSpace("flat", [1], ctx =>
        {
            for (var i = 0; i < 8; i++)
            {
                ctx.Choose(Choice.Int($"x{i}", 0, 9));
            }

            return new Identity();
        }, options);
        Assert.Multiple(() =>
        {
            Assert.That(space.Size, Is.EqualTo(System.Numerics.BigInteger.Pow(10, 8)));
            Assert.That(space.Enumerate().Skip(1).First().ToString(), Is.EqualTo("x0=0;x1=0;x2=0;x3=0;x4=0;x5=0;x6=0;x7=1"));
        });
    }

    [Test]
    public void Size_LargeConditionalSpace_NullButFindsEveryBlockLabel()
    {
        var options = new CustomSearchSpaceOptions { ExplorationBudget = 200, ExplorationSamples = 0 };
        var space = new CustomSearchSpace("deep", [1], ctx => ctx.Repeat(
            Choice.Int("depth", 1, 8),
            i => ctx.Choose(Choice.Layer($"b{i}.op", ("a", () => new Identity()), ("b", () => new ReLU()), ("c", () => new Tanh()), ("d", () => new Sigmoid())))),
            options);
        Assert.Multiple(() =>
        {
            Assert.That(space.Size, Is.Null); // 4 + 4² + … + 4⁸ leaves exceed the budget of 200
            Assert.That(space.Labels, Has.Count.EqualTo(9));
            Assert.That(space.Labels, Does.Contain("b7.op"));
            Assert.That(() => space.Enumerate().First(), Throws.TypeOf<NotSupportedException>());
        });
    }

    [Test]
    public void Sample_LogFloat_LogUniformByChiSquare()
    {
        var space = new CustomSearchSpace("lr", [1], ctx =>
        {
            ctx.Choose(Choice.Float("lr", 1e-4, 1, log: true));
            return new Identity();
        });
        var g = new Generator(42);
        const int N = 8000, Bins = 8;
        var counts = new int[Bins];
        for (var i = 0; i < N; i++)
        {
            var lr = space.Sample(g).GetValue<double>("lr");
            Assert.That(lr, Is.InRange(1e-4, 1));
            counts[Math.Min(Bins - 1, (int)Math.Floor(2 * Math.Log10(lr / 1e-4)))]++; // half-decade bins: equally likely under log-uniform
        }

        var expected = (double)N / Bins;
        var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.That(chiSquare, Is.LessThan(24.32), string.Join(", ", counts)); // chi-square 0.999 quantile, 7 degrees of freedom
    }

    [Test]
    public void Sample_LogInt_MedianMassMatchesLogUniform()
    {
        var space = new CustomSearchSpace("n", [1], ctx =>
        {
            ctx.Choose(Choice.Int("n", 1, 64, log: true));
            return new Identity();
        });
        var g = new Generator(7);
        const int N = 4000;
        var atMostEight = Enumerable.Range(0, N).Count(_ => space.Sample(g).GetValue<int>("n") <= 8);

        // P(n <= 8) = ln(8.5 / 0.5) / ln(64.5 / 0.5) = 0.58299 for u ~ U[ln 0.5, ln 64.5), n = round(e^u); a uniform draw would give 0.125.
        // Binomial standard deviation sqrt(0.583 · 0.417 / 4000) = 0.0078; the tolerance is 4.5 of them.
        Assert.That((double)atMostEight / N, Is.EqualTo(0.58299).Within(0.035));
    }

    [Test]
    public void Sample_SteppedInt_OnlyGridValuesAndAllOfThem()
    {
        var space = new CustomSearchSpace("w", [1], ctx =>
        {
            ctx.Choose(Choice.Int("w", 8, 64, step: 8));
            return new Identity();
        });
        var g = new Generator(3);
        var values = Enumerable.Range(0, 400).Select(_ => space.Sample(g).GetValue<int>("w")).ToHashSet();
        Assert.That(values.Order(), Is.EqualTo(new[] { 8, 16, 24, 32, 40, 48, 56, 64 }));
    }

    [Test]
    public void Enumerate_SteppedFloat_GridRoundedTo15Digits()
    {
        var space = new CustomSearchSpace("p", [1], ctx =>
        {
            ctx.Choose(Choice.Float("p", 0, 1, step: 0.1));
            return new Identity();
        });
        var texts = space.Enumerate().Select(a => a.ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(texts, Has.Count.EqualTo(11));
            Assert.That(texts[3], Is.EqualTo("p=0.3")); // 3 · 0.1 is 0.30000000000000004 in binary arithmetic
            Assert.That(texts[7], Is.EqualTo("p=0.7"));
            Assert.That(texts[10], Is.EqualTo("p=1"));
            Assert.That(space.Parse("p=0.30").ToString(), Is.EqualTo("p=0.3"));
            Assert.That(() => space.Parse("p=0.35"), Throws.TypeOf<ArchitectureFormatException>().With.Message.Contains("not on the grid"));
        });
    }

    [Test]
    public void ToString_ContinuousFloatUnderGermanCulture_InvariantAndRoundTrips()
    {
        var space = ExampleSpaces.Mixed();
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var g = new Generator(5);
            for (var i = 0; i < 20; i++)
            {
                var a = space.Sample(g);
                var scale = a.GetValue<double>("scale");
                var text = a.ToString();
                Assert.That(text, Does.Contain("scale=" + scale.ToString("R", CultureInfo.InvariantCulture)));
                Assert.That(space.Parse(text).GetValue<double>("scale"), Is.EqualTo(scale), "the text must give back the same double");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void Parse_ConditionalLabels_OnlyActiveLabelsKept()
    {
        var space = ExampleSpaces.SharedTinyCnn;
        var a = space.Parse("act=relu;depth=2;dropout=0.25;layer1.op=conv1x1;layer2.op=maxpool;width=4");
        Assert.Multiple(() =>
        {
            Assert.That(a.Labels, Is.EqualTo(new[] { "act", "depth", "dropout", "layer1.op", "layer2.op", "width" }));
            Assert.That(a.IsActive("layer3.op"), Is.False);
            Assert.That(a.GetValue<int>("depth"), Is.EqualTo(2));
            Assert.That(a.GetValue<string>("layer2.op"), Is.EqualTo("maxpool"));
            Assert.That(a.GetValue<double>("dropout"), Is.EqualTo(0.25));
        });
    }

    [Test]
    public void Parse_LabelsInAnyOrder_NormalisedToOrdinalOrder() =>
        Assert.That(
            ExampleSpaces.SharedTinyCnn.Parse("width=8;layer1.op=maxpool;depth=1;act=gelu;dropout=0.5").ToString(),
            Is.EqualTo(Depth1));

    // The error position is where the marker starts: the value for a bad value, the label for a bad, unknown or inactive label.
    [TestCase("act=relu;depth=1;dropout=0;layer1.op=conv5x5;width=4", "conv5x5", "'layer1.op' must be one of conv3x3, conv1x1, maxpool, but got 'conv5x5'")]
    [TestCase("act=relu;colour=red;depth=1;dropout=0;layer1.op=conv3x3;width=4", "colour", "unknown label 'colour'")]
    [TestCase("act=relu;depth=1;dropout=0;layer1.op=conv3x3;layer2.op=conv1x1;width=4", "layer2.op", "'layer2.op' is not active")]
    [TestCase("act=relu;depth=4;dropout=0;layer1.op=conv3x3;width=4", "4;", "'depth' must be an integer in [1, 3], but got '4'")]
    [TestCase("act=relu;depth=1;dropout=0;la yer1.op=conv3x3;width=4", "la yer1.op", "'la yer1.op' is not a valid label")]
    [TestCase("act=relu;depth=1;dropout=0;layer1.op=conv3x3;width", "width", "expected 'label=value', but got 'width'")]
    public void Parse_BadEntry_ReportsPositionAndRule(string text, string marker, string reason)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => ExampleSpaces.SharedTinyCnn.Parse(text));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Position, Is.EqualTo(text.IndexOf(marker, StringComparison.Ordinal)));
            Assert.That(e.Reason, Does.Contain(reason));
        });
    }

    [Test]
    public void Parse_MissingActiveLabel_ReportsEndAndLabel()
    {
        const string Text = "act=relu;depth=2;dropout=0;layer1.op=conv3x3;width=4";
        var e = Assert.Throws<ArchitectureFormatException>(() => ExampleSpaces.SharedTinyCnn.Parse(Text));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Position, Is.EqualTo(Text.Length));
            Assert.That(e.Reason, Does.Contain("'layer2.op' must be given"));
        });
    }

    [Test]
    public void Parse_UnknownLabel_ListsTheSpaceLabels() =>
        Assert.That(
            () => ExampleSpaces.SharedTinyCnn.Parse("colour=red"),
            Throws.TypeOf<ArchitectureFormatException>().With.Message.Contains("act, depth, dropout, layer1.op, layer2.op, layer3.op, width"));

    [Test]
    public void Neighbors_DepthOne_EveryOtherValueOfEachActiveLabel()
    {
        var space = ExampleSpaces.SharedTinyCnn;
        var neighbors = space.Neighbors(space.Parse("act=relu;depth=1;dropout=0;layer1.op=conv3x3;width=4")).Select(n => n.ToString()).ToList();
        Assert.That(neighbors, Is.EqualTo(new[]
        {
            "act=gelu;depth=1;dropout=0;layer1.op=conv3x3;width=4",
            "act=relu;depth=2;dropout=0;layer1.op=conv3x3;layer2.op=conv3x3;width=4", // layer2 switched on at its default
            "act=relu;depth=3;dropout=0;layer1.op=conv3x3;layer2.op=conv3x3;layer3.op=conv3x3;width=4",
            "act=relu;depth=1;dropout=0.25;layer1.op=conv3x3;width=4",
            "act=relu;depth=1;dropout=0.5;layer1.op=conv3x3;width=4",
            "act=relu;depth=1;dropout=0;layer1.op=conv1x1;width=4",
            "act=relu;depth=1;dropout=0;layer1.op=maxpool;width=4",
            "act=relu;depth=1;dropout=0;layer1.op=conv3x3;width=8",
        }));
    }

    [Test]
    public void Neighbors_DeeperBlockHoldsNonDefault_DepthCannotShrinkPastIt()
    {
        var space = ExampleSpaces.SharedTinyCnn;
        var depths = (string text) => space.Neighbors(space.Parse(text)).Select(n => n.GetValue<int>("depth")).Where(d => d != 3).Order().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(depths("act=relu;depth=3;dropout=0;layer1.op=conv3x3;layer2.op=conv3x3;layer3.op=maxpool;width=4"), Is.Empty);
            Assert.That(depths("act=relu;depth=3;dropout=0;layer1.op=conv3x3;layer2.op=maxpool;layer3.op=conv3x3;width=4"), Is.EqualTo(new[] { 2 }));
            Assert.That(depths("act=relu;depth=3;dropout=0;layer1.op=maxpool;layer2.op=conv3x3;layer3.op=conv3x3;width=4"), Is.EqualTo(new[] { 1, 2 }));
        });
    }

    [Test]
    public void Neighbors_ContinuousFloat_MovesByFractionOfLogRange()
    {
        var space = new CustomSearchSpace("lr", [1], ctx =>
        {
            ctx.Choose(Choice.Float("lr", 1e-4, 1, log: true));
            return new Identity();
        });
        var values = space.Neighbors(space.Parse("lr=0.01")).Select(n => n.GetValue<double>("lr")).ToList();

        // 5 % of the log range ln(1 / 1e-4) moves 0.01 by the factor 10^(0.05 · 4) = 10^0.2.
        Assert.That(values, Is.EqualTo(new[] { 0.01 / Math.Pow(10, 0.2), 0.01 * Math.Pow(10, 0.2) }).Within(1e-12));
        Assert.That(space.Neighbors(space.Parse("lr=1")).Select(n => n.GetValue<double>("lr")), Has.Exactly(1).Items, "clamped at the upper bound");
    }

    [Test]
    public void Encode_Integer_IndicesInLabelOrderInactiveAsDefault() =>
        Assert.That(
            ExampleSpaces.SharedTinyCnn.Encode(ExampleSpaces.SharedTinyCnn.Parse(Depth1), ArchitectureEncoding.Integer),
            Is.EqualTo(new float[] { 1, 0, 2, 2, 0, 0, 1 })); // act=gelu, depth=1 (index 0), dropout=0.5, layer1=maxpool, layer2/3 inactive, width=8

    [Test]
    public void Encode_OneHot_BlocksInLabelOrderInactiveAllZero()
    {
        var space = ExampleSpaces.SharedTinyCnn;
        var expected = new float[]
        {
            0, 1,    // act=gelu
            1, 0, 0, // depth=1
            0, 0, 1, // dropout=0.5
            0, 0, 1, // layer1.op=maxpool
            0, 0, 0, // layer2.op inactive
            0, 0, 0, // layer3.op inactive
            0, 1,    // width=8
        };
        Assert.That(space.Encode(space.Parse(Depth1), ArchitectureEncoding.OneHot), Is.EqualTo(expected));
    }

    [Test]
    public void Crossover_DifferentParents_MixesLabelsFromBoth()
    {
        var space = ExampleSpaces.SharedTinyCnn;
        var a = space.Parse("act=relu;depth=1;dropout=0;layer1.op=conv3x3;width=4");
        var b = space.Parse("act=gelu;depth=1;dropout=0.5;layer1.op=maxpool;width=8");
        var g = new Generator(2);
        var children = Enumerable.Range(0, 40).Select(_ => space.Crossover(a, b, g).ToString()).ToHashSet();

        // 5 labels that differ: 32 possible children; 40 fair draws give well over 2 distinct ones.
        Assert.That(children.Count(c => c != a.ToString() && c != b.ToString()), Is.GreaterThan(10));
    }

    [Test]
    public void Build_SameGenerator_SameWeightsAndBuildMode()
    {
        var modes = new List<bool>();
        var space = new CustomSearchSpace("lin", [3], ctx =>
        {
            var width = ctx.Choose(Choice.Int("width", 2, 4));
            modes.Add(ctx.IsBuilding);
            return new Linear(3, width, generator: ctx.Generator);
        });
        var a = space.Parse("width=3");
        modes.Clear();
        using var first = space.Build(a, new Generator(9));
        using var second = space.Build(a, new Generator(9));
        using var other = space.Build(a, new Generator(10));
        var weights = (Module m) => m.Parameters().First().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(modes, Is.EqualTo(new[] { true, true, true }));
            Assert.That(weights(first), Has.Length.EqualTo(9));
            Assert.That(weights(second), Is.EqualTo(weights(first)));
            Assert.That(weights(other), Is.Not.EqualTo(weights(first)));
        });
    }

    [Test]
    public void Validate_ArchitectureOfAnotherInstanceWithSameDefinition_Valid()
    {
        var a = ExampleSpaces.SharedTinyCnn.Parse(Depth1);
        var other = ExampleSpaces.TinyCnn();
        Assert.Multiple(() =>
        {
            Assert.That(other.Validate(a), Is.Empty);
            Assert.That(other.Neighbors(a).Count(), Is.EqualTo(8)); // act 1 + depth 2 + dropout 2 + layer1.op 2 + width 1
        });
    }

    [Test]
    public void Validate_ArchitectureOfSameNamedSpaceWithOtherValues_ReportsTheValue()
    {
        var wide = new CustomSearchSpace("w", [1], ctx =>
        {
            ctx.Choose(Choice.Int("w", 1, 8));
            return new Identity();
        });
        var narrow = new CustomSearchSpace("w", [1], ctx =>
        {
            ctx.Choose(Choice.Int("w", 1, 4));
            return new Identity();
        });
        var errors = narrow.Validate(wide.Parse("w=6"));
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Does.Contain("'w' must be an integer in [1, 4], but got '6'"));
    }

    [Test]
    public void Ctor_LabelMetTwiceInOneRun_ThrowsNamingIt()
    {
        var e = Assert.Throws<SearchSpaceValidationException>(() => new CustomSearchSpace("dup", [1], ctx =>
        {
            ctx.Choose(Choice.Int("w", 1, 2));
            ctx.Choose(Choice.Int("w", 1, 2));
            return new Identity();
        }));
        Assert.That(e!.Message, Does.Contain("'w' twice"));
    }

    [Test]
    public void Ctor_LabelDeclaredWithTwoValueSets_ThrowsWithBoth()
    {
        var e = Assert.Throws<SearchSpaceValidationException>(() => new CustomSearchSpace("clash", [1], ctx =>
        {
            var kind = ctx.Choose(Choice.Categorical("kind", "a", "b"));
            ctx.Choose(kind == "a" ? Choice.Int("w", 1, 2) : Choice.Int("w", 1, 3));
            return new Identity();
        }));
        Assert.That(e!.Message, Does.Contain("an integer in [1, 2]").And.Contain("an integer in [1, 3]"));
    }

    [Test]
    public void Ctor_NoChoice_Throws() =>
        Assert.That(() => new CustomSearchSpace("empty", [1], _ => new Identity()), Throws.TypeOf<SearchSpaceValidationException>().With.Message.Contains("no choice"));

    [Test]
    public void Ctor_BadInputShape_ThrowsWithShape() =>
        Assert.That(
            () => new CustomSearchSpace("s", [1, 0, 28], ctx => ctx.Choose(Choice.Layer("op", ("id", () => new Identity())))),
            Throws.ArgumentException.With.Message.Contains("[1, 0, 28]"));

    [Test]
    public void Ctor_InvalidOptions_ListsEveryProblem()
    {
        var options = new CustomSearchSpaceOptions { ExplorationBudget = 0, FloatNeighborStep = 2 };
        var e = Assert.Throws<ArgumentException>(() => ExampleSpaces.TinyCnn(options));
        Assert.That(e!.Message, Does.Contain("ExplorationBudget").And.Contain("but got 0").And.Contain("FloatNeighborStep").And.Contain("but got 2"));
    }
}
