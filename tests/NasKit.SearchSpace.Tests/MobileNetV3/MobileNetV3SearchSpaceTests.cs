using System.Numerics;
using NasKit.SearchSpace.MobileNetV3;
using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.MobileNetV3;

/// <summary>Tests <see cref="MobileNetV3SearchSpace"/> beyond the shared conformance suite.</summary>
public sealed class MobileNetV3SearchSpaceTests
{
    private const string MixedText = "r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6";

    // Hand-derived from ALGORITHMS.md §2(b): per stage [depth idx, 4 kernel idx, 4 expansion idx] with inactive slots 0, then the
    // resolution idx ((160 - 128) / 4 = 8). Choice order d {2,3,4}, k {3,5,7}, e {3,4,6}.
    private static readonly float[] MixedInteger =
    [
        0, 0, 1, 0, 0, 1, 2, 0, 0,
        1, 2, 0, 1, 0, 0, 0, 1, 0,
        2, 0, 1, 2, 0, 2, 2, 1, 0,
        0, 1, 1, 0, 0, 0, 1, 0, 0,
        1, 0, 0, 0, 0, 2, 2, 2, 0,
        8,
    ];

    [Test]
    public void Size_DefaultSpace_IsPerStageSumToTheFifthTimesResolutions()
    {
        // [CALC] per stage 9^2 + 9^3 + 9^4 = 7371; 7371^5 * 25 resolutions (Python: 7371**5*25).
        Assert.That(new MobileNetV3SearchSpace().Size, Is.EqualTo(BigInteger.Parse("543966387314312146275", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Size_SmallSpace_EqualsEnumeratedCount()
    {
        var space = SmallSpace();
        var all = space.Enumerate().Select(a => a.ToString()).ToList();
        Assert.Multiple(() =>
        {
            // [CALC] per stage: depth 1 -> 2 kernels x 1 ratio = 2, depth 2 -> 2^2 = 4, so 6; two stages, two resolutions: 6 * 6 * 2 = 72.
            Assert.That(space.Size, Is.EqualTo(new BigInteger(72)));
            Assert.That(all, Has.Count.EqualTo(72));
            Assert.That(all, Is.Unique);
            Assert.That(all[0], Is.EqualTo("r=32|k3e3|k3e3"));
            Assert.That(all[1], Is.EqualTo("r=32|k3e3|k5e3"));
            Assert.That(all[^1], Is.EqualTo("r=64|k5e3,k5e3|k5e3,k5e3"));
        });
    }

    [Test]
    public void Encode_Integer_HandMadeArchitectureGivesCnasLayout()
    {
        var space = new MobileNetV3SearchSpace();
        var code = space.Encode(MobileNetV3ArchitectureTests.Mixed(), ArchitectureEncoding.Integer);
        Assert.Multiple(() =>
        {
            Assert.That(space.GetEncodingLength(ArchitectureEncoding.Integer), Is.EqualTo(46));
            Assert.That(code, Is.EqualTo(MixedInteger));
            Assert.That(space.EncodeIndices(MobileNetV3ArchitectureTests.Mixed()), Is.EqualTo(MixedInteger.Select(v => (int)v).ToArray()));
        });
    }

    [Test]
    public void DecodeIndices_HandMadeVectorWithJunkInInactiveSlots_ReturnsArchitecture()
    {
        var space = new MobileNetV3SearchSpace();
        var code = MixedInteger.Select(v => (int)v).ToArray();
        code[3] = 2; // stage 1, slot 3 kernel (inactive at depth 2)
        code[8] = 1; // stage 1, slot 4 expansion (inactive)
        Assert.That(space.DecodeIndices(code).ToString(), Is.EqualTo(MixedText));
    }

    [Test]
    public void DecodeIndices_BadVector_ThrowsWithPositionAndRange()
    {
        var space = new MobileNetV3SearchSpace();
        var code = MixedInteger.Select(v => (int)v).ToArray();
        code[45] = 25;
        Assert.Multiple(() =>
        {
            Assert.That(() => space.DecodeIndices(code), Throws.ArgumentException.With.Message.Contains("Entry 45 (resolution) must be in [0, 24], but got 25"));
            Assert.That(() => space.DecodeIndices(new int[45]), Throws.ArgumentException.With.Message.Contains("46 entries, but got 45"));
        });
    }

    [Test]
    public void Encode_OneHot_OneBitPerActiveVariableZerosForInactiveSlots()
    {
        var space = new MobileNetV3SearchSpace();
        var v = space.Encode(MobileNetV3ArchitectureTests.Mixed(), ArchitectureEncoding.OneHot);
        Assert.Multiple(() =>
        {
            // [CALC] 5 * (3 + 4 * 3 + 4 * 3) + 25 = 160 entries; 5 depths + 2 * 14 active blocks + 1 resolution = 34 ones.
            Assert.That(v, Has.Length.EqualTo(160));
            Assert.That(v.Count(x => x == 1f), Is.EqualTo(34));
            Assert.That(v.Count(x => x != 0f && x != 1f), Is.Zero);
            Assert.That(v[0..3], Is.EqualTo(new[] { 1f, 0f, 0f }), "stage 1 depth 2");
            Assert.That(v[3..6], Is.EqualTo(new[] { 1f, 0f, 0f }), "stage 1 block 1 kernel 3");
            Assert.That(v[6..9], Is.EqualTo(new[] { 0f, 1f, 0f }), "stage 1 block 2 kernel 5");
            Assert.That(v[9..15], Is.All.EqualTo(0f), "stage 1 inactive kernel slots");
            Assert.That(v[135..160], Is.EqualTo(Enumerable.Range(0, 25).Select(i => i == 8 ? 1f : 0f).ToArray()), "resolution 160");
        });
    }

    [Test]
    public void Neighbors_HandMadeArchitecture_ExpectedMovesOnly()
    {
        var space = new MobileNetV3SearchSpace();
        var neighbors = space.Neighbors(MobileNetV3ArchitectureTests.Mixed()).Select(n => n.ToString()).ToList();
        Assert.Multiple(() =>
        {
            // [CALC] 24 resolutions + 14 active blocks * (2 kernels + 2 ratios) + depth moves: stage 1 grows to 3 or 4, stage 2 grows to 4
            // (shrinking would drop k3e4), stage 3 shrinks to 3 (its last block is k3e3; shrinking to 2 would drop k7e4), stage 4 grows
            // to 3 or 4, stage 5 grows to 4 = 24 + 56 + 7 = 87.
            Assert.That(neighbors, Has.Count.EqualTo(87));
            Assert.That(neighbors, Does.Contain("r=160|k3e4,k5e6,k3e3|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6"));
            Assert.That(neighbors, Does.Contain("r=160|k3e4,k5e6,k3e3,k3e3|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6"));
            Assert.That(neighbors, Does.Contain("r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4|k5e3,k5e4|k3e6,k3e6,k3e6"));
            Assert.That(neighbors, Does.Not.Contain("r=160|k3e4,k5e6|k7e3,k3e3|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6"));
            Assert.That(neighbors, Does.Contain("r=224|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6"));
            Assert.That(neighbors, Does.Contain("r=160|k7e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6"));
        });
    }

    [Test]
    public void Neighbors_Samples_RelationIsSymmetric()
    {
        var space = new MobileNetV3SearchSpace();
        var g = new Generator(21);
        for (var i = 0; i < 6; i++)
        {
            var a = space.Sample(g);
            foreach (var n in space.Neighbors(a))
            {
                Assert.That(space.Neighbors(n), Does.Contain(a), $"{a} -> {n}");
            }
        }
    }

    [Test]
    public void Sample_ManyDraws_EveryChoiceRoughlyUniform()
    {
        var space = new MobileNetV3SearchSpace();
        var g = new Generator(5);
        const int N = 3000;
        var samples = Enumerable.Range(0, N).Select(_ => space.Sample(g)).ToList();
        var depthShare = new[] { 2, 3, 4 }.Select(d => samples.Count(a => a.Depths[2] == d) / (double)N).ToList();
        var kernelShare = new[] { 3, 5, 7 }.Select(k => samples.Count(a => a.KernelSizes[0][0] == k) / (double)N).ToList();
        var low = samples.Count(a => a.Resolution == 128) / (double)N;

        // Binomial standard deviation for p = 1/3, N = 3000 is 0.0086; 0.04 is more than 4 sigma.
        Assert.Multiple(() =>
        {
            Assert.That(depthShare, Is.All.EqualTo(1 / 3.0).Within(0.04));
            Assert.That(kernelShare, Is.All.EqualTo(1 / 3.0).Within(0.04));
            Assert.That(low, Is.EqualTo(1 / 25.0).Within(0.015));
        });
    }

    [Test]
    public void Crossover_ParentsWithDifferentDepths_ChildMixesVariablesAndIsSeeded()
    {
        var space = new MobileNetV3SearchSpace();
        var a = space.Parse("r=128|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        var b = space.Parse("r=224|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6");
        var children = Enumerable.Range(0, 20).Select(i => space.Crossover(a, b, new Generator(i))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(children.Select(c => c.ToString()).Distinct().Count(), Is.GreaterThan(15));
            Assert.That(space.Crossover(a, b, new Generator(3)), Is.EqualTo(children[3]));
            Assert.That(children.Any(c => c.Depths.Contains(2) && c.Depths.Contains(4)), Is.True);
            Assert.That(children.Any(c => c.KernelSizes.Any(s => s.Contains(3) && s.Contains(7))), Is.True);
        });
    }

    [TestCase("r=160", 5, "the space has 5 stages, each written as '|' followed by its blocks, but the text ends after 0")]
    [TestCase("r=161|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6", 2, "one of {128, 132")]
    [TestCase("r=160|k9e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6", 7, "kernel size must be one of {3, 5, 7}, but got 9")]
    [TestCase("r=160|k3e4,k5e5|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6", 14, "expansion ratio must be one of {3, 4, 6}, but got 5")]
    [TestCase("r=160|k3e4|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6", 6, "depth (number of blocks) of stage 1 must be one of {2, 3, 4}, but the stage lists 1")]
    [TestCase("r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4", 60, "the text ends after 4")]
    [TestCase("r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6|", 75, "but the text has more")]
    [TestCase("r=160|k3e4,k5e6;k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6", 15, "stage 2 must start with '|', but found ';'")]
    [TestCase("r=160|k03e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6", 7, "without leading zeros")]
    [TestCase("R=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6", 0, "must start with 'r='")]
    public void Parse_MalformedText_ThrowsAtPositionWithRule(string text, int position, string reason)
    {
        var e = Assert.Throws<ArchitectureFormatException>(() => new MobileNetV3SearchSpace().Parse(text));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Position, Is.EqualTo(position));
            Assert.That(e.Reason, Does.Contain(reason));
            Assert.That(e.Message, Does.Contain("mobilenetv3"));
        });
    }

    [Test]
    public void Validate_ArchitectureOutsideChoices_ListsEveryProblemWithLocation()
    {
        var space = new MobileNetV3SearchSpace();
        var a = new MobileNetV3Architecture(100, [2, 5, 2, 2], [[9, 3], [3, 3, 3, 3, 3], [3, 3], [3, 3]], [[3, 3], [3, 3, 3, 3, 3], [3, 8], [3, 3]]);
        var errors = space.Validate(a).Select(e => e.ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Count.EqualTo(5));
            Assert.That(errors, Does.Contain("resolution: the resolution must be one of {128, 132, 136, 140, 144, 148, 152, 156, 160, 164, 168, 172, 176, 180, 184, 188, 192, 196, 200, 204, 208, 212, 216, 220, 224}, but got 100."));
            Assert.That(errors, Does.Contain("stages: the space has 5 stages, but the architecture has 4."));
            Assert.That(errors, Does.Contain("stage 1, block 1: the kernel size must be one of {3, 5, 7}, but got 9."));
            Assert.That(errors, Does.Contain("stage 2: the depth must be one of {2, 3, 4}, but got 5."));
            Assert.That(errors, Does.Contain("stage 3, block 2: the expansion ratio must be one of {3, 4, 6}, but got 8."));
            Assert.That(() => space.Build(a), Throws.TypeOf<SearchSpaceValidationException>().With.Message.Contains("5 problems"));
        });
    }

    [Test]
    public void GetInputShape_Architecture_ChannelsAndItsResolution()
    {
        var space = new MobileNetV3SearchSpace(new MobileNetV3SpaceOptions { InputChannels = 1 });
        Assert.That(space.GetInputShape(MobileNetV3ArchitectureTests.Mixed()), Is.EqualTo(new[] { 1, 160, 160 }));
    }

    private static MobileNetV3SearchSpace SmallSpace() => new(new MobileNetV3SpaceOptions
    {
        DepthChoices = [1, 2],
        KernelSizeChoices = [3, 5],
        ExpandRatioChoices = [3],
        Resolutions = [32, 64],
        StageWidths = [16, 24],
        StageStrides = [2, 2],
        StageActivations = [ActivationKind.Relu, ActivationKind.Hardswish],
        StageSqueezeExcite = [false, true],
        Classes = 10,
    });
}
