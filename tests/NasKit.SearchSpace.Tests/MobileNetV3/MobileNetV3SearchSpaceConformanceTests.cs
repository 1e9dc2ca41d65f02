using NasKit.SearchSpace.MobileNetV3;
using NasKit.Testing;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.MobileNetV3;

/// <summary>Runs the shared search-space contract against the MobileNetV3 / OFA space.</summary>
[TestFixture]
public sealed class MobileNetV3SearchSpaceConformanceTests : SearchSpaceConformanceTests<MobileNetV3Architecture>
{
    /// <inheritdoc/>
    protected override int BuildCount => 1;

    /// <inheritdoc/>
    protected override IEnumerable<string> MalformedTexts =>
    [
        "r=160",
        "r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4",
        "r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6|k3e3,k3e3",
        "r=161|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
        "r=160|k3e4|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
        "r=160|k9e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
        "r=160|k3e5,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
        "r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6 ",
        "r=0160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
        "r=160|k3e4,,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
        "r=160|k3e4,k5e6,k3e3,k3e3,k3e3|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
        "r=99999999999|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6",
    ];

    /// <inheritdoc/>
    protected override ISearchSpace<MobileNetV3Architecture> CreateSpace() => new MobileNetV3SearchSpace();

    /// <inheritdoc/>
    protected override ISearchSpace<MobileNetV3Architecture> CreateBuildSpace() =>
        new MobileNetV3SearchSpace(new MobileNetV3SpaceOptions { Resolutions = [32], Classes = 10 });
}
