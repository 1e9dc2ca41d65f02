using NasKit.SearchSpace.Custom;
using NasKit.Testing;

namespace NasKit.SearchSpace.Tests.Custom;

/// <summary>Runs the shared search-space contract against a small finite custom space with a conditional Repeat.</summary>
[TestFixture]
public sealed class CustomSearchSpaceConformanceTests : SearchSpaceConformanceTests<CustomArchitecture>
{
    /// <inheritdoc/>
    protected override IEnumerable<string> MalformedTexts =>
    [
        "width=4",                                                              // missing active labels
        "act=relu;depth=1;dropout=0;layer1.op=conv3x3;width=5",                 // width off its step grid
        "act=relu;depth=1;dropout=0;layer1.op=conv3x3;layer2.op=conv1x1;width=4", // layer2 inactive at depth 1
        "act=tanh;depth=1;dropout=0;layer1.op=conv3x3;width=4",                 // unknown categorical value
        "act=relu;depth=1;dropout=0.3;layer1.op=conv3x3;width=4",               // dropout off its 0.25 grid
        "act=relu;act=relu;depth=1;dropout=0;layer1.op=conv3x3;width=4",        // duplicate label
        "act=relu;depth=1;dropout=0;layer1.op=conv3x3;width=4;",                // trailing empty entry
        "colour=red",                                                           // unknown label
    ];

    /// <inheritdoc/>
    protected override ISearchSpace<CustomArchitecture> CreateSpace() => ExampleSpaces.SharedTinyCnn;
}
