using NasKit.SearchSpace.MobileNetV3;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.MobileNetV3;

/// <summary>Tests <see cref="MobileNetV3Architecture"/>.</summary>
public sealed class MobileNetV3ArchitectureTests
{
    private const string MixedText = "r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6";

    /// <summary>Builds the hand-made architecture that <see cref="MixedText"/> describes, with 4 slots per stage and junk in the inactive ones.</summary>
    /// <param name="junk">The kernel size and expansion ratio written into inactive slots.</param>
    /// <returns>The architecture.</returns>
    internal static MobileNetV3Architecture Mixed(int junk = 7) => MobileNetV3Architecture.FromOfaConfig(
        160,
        [2, 3, 4, 2, 3],
        [3, 5, junk, junk, 7, 3, 5, junk, 3, 5, 7, 3, 5, 5, junk, junk, 3, 3, 3, junk],
        [4, 6, junk, junk, 3, 3, 4, junk, 6, 6, 4, 3, 3, 4, junk, junk, 6, 6, 6, junk]);

    [Test]
    public void ToString_HandMadeArchitecture_WritesResolutionAndActiveBlocksPerStage()
    {
        var a = Mixed();
        Assert.Multiple(() =>
        {
            Assert.That(a.ToString(), Is.EqualTo(MixedText));
            Assert.That(a.CanonicalForm, Is.EqualTo(MixedText));
            Assert.That(a.SpaceName, Is.EqualTo("mobilenetv3"));
            Assert.That(a.Depths, Is.EqualTo(new[] { 2, 3, 4, 2, 3 }));
            Assert.That(a.KernelSizes[2], Is.EqualTo(new[] { 3, 5, 7, 3 }));
            Assert.That(a.ExpandRatios[1], Is.EqualTo(new[] { 3, 3, 4 }));
            Assert.That(a.Resolution, Is.EqualTo(160));
            Assert.That(a.StageCount, Is.EqualTo(5));
        });
    }

    [Test]
    public void Equals_DifferOnlyInInactiveBlocks_EqualWithSameTextAndHash()
    {
        var a = Mixed(junk: 7);
        var b = Mixed(junk: 3);
        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(b == a, Is.True);
            Assert.That(b.ToString(), Is.EqualTo(a.ToString()));
            Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
            Assert.That(b.CanonicalHash(), Is.EqualTo(a.CanonicalHash()));
        });
    }

    [Test]
    public void Equals_DifferInOneActiveBlock_NotEqual()
    {
        var a = Mixed();
        var b = MobileNetV3Architecture.FromOfaConfig(
            160,
            [2, 3, 4, 2, 3],
            [3, 5, 7, 7, 7, 3, 3, 7, 3, 5, 7, 3, 5, 5, 7, 7, 3, 3, 5, 7],
            [4, 6, 7, 7, 3, 3, 4, 7, 6, 6, 4, 3, 3, 4, 7, 7, 6, 6, 6, 7]);
        Assert.Multiple(() =>
        {
            Assert.That(b, Is.Not.EqualTo(a));
            Assert.That(b != a, Is.True);
            Assert.That(b.ToString(), Does.EndWith("|k3e6,k3e6,k5e6"));
        });
    }

    [Test]
    public void Ctor_StageWithFewerBlocksThanDepth_ThrowsNamingStage()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new MobileNetV3Architecture(160, [2, 3], [[3, 3], [3, 3]], [[3, 3], [3, 3, 3]]));
        Assert.That(e!.Message, Does.Contain("Stage 1 has depth 3 but only 2 kernel sizes"));
    }

    [Test]
    public void Ctor_MismatchedStageCounts_ThrowsWithCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new MobileNetV3Architecture(160, [2, 2], [[3, 3]], [[3, 3], [3, 3]]));
        Assert.That(e!.Message, Does.Contain("2 depths, 1 kernel-size lists and 2 expansion-ratio lists"));
    }

    [Test]
    public void Ctor_NonPositiveValues_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new MobileNetV3Architecture(0, [2], [[3, 3]], [[3, 3]]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("resolution=0"));
            Assert.That(() => new MobileNetV3Architecture(32, [0], [[3, 3]], [[3, 3]]), Throws.ArgumentException.With.Message.Contains("stage 0 has depth 0"));
            Assert.That(() => new MobileNetV3Architecture(32, [2], [[3, -5]], [[3, 3]]), Throws.ArgumentException.With.Message.Contains("entry -5"));
            Assert.That(() => new MobileNetV3Architecture(32, [], [], []), Throws.ArgumentException.With.Message.Contains("at least one stage"));
        });
    }

    [Test]
    public void FromOfaConfig_SlotsNotDivisibleByStages_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => MobileNetV3Architecture.FromOfaConfig(160, [2, 2], [3, 3, 3], [3, 3, 3]));
        Assert.That(e!.Message, Does.Contain("2 depths, 3 kernel sizes and 3 expansion ratios"));
    }

    [Test]
    public void Ctor_CallerMutatesInputLists_ArchitectureUnchanged()
    {
        int[] depths = [2];
        int[] ks = [3, 5];
        var a = new MobileNetV3Architecture(32, depths, [ks], [new[] { 3, 4 }]);
        depths[0] = 1;
        ks[0] = 7;
        Assert.That(a.ToString(), Is.EqualTo("r=32|k3e3,k5e4"));
    }
}
