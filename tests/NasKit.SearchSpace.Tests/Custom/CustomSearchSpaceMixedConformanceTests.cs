using NasKit.SearchSpace.Custom;
using NasKit.Testing;

namespace NasKit.SearchSpace.Tests.Custom;

/// <summary>Runs the shared search-space contract against a custom space with a continuous log float, an input choice and a conditional label.</summary>
[TestFixture]
public sealed class CustomSearchSpaceMixedConformanceTests : SearchSpaceConformanceTests<CustomArchitecture>
{
    /// <inheritdoc/>
    protected override IEnumerable<string> MalformedTexts =>
    [
        "head=linear;inputs=0,1;scale=20",        // scale above its upper bound
        "head=linear;inputs=1,0;scale=1",         // indices not ascending
        "head=linear;inputs=0,1,2;scale=1",       // three inputs instead of two
        "head=linear;inputs=0,1;scale=NaN",       // not a finite number
        "head=mlp;inputs=0,1;scale=1",            // mlp.hidden missing
    ];

    /// <inheritdoc/>
    protected override ISearchSpace<CustomArchitecture> CreateSpace() => ExampleSpaces.Mixed();
}
