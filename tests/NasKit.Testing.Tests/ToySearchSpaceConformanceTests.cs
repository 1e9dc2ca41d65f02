using NasKit.SearchSpace;

namespace NasKit.Testing.Tests;

/// <summary>
/// The conformance suite over <see cref="ToySearchSpace"/>: NUnit runs it on the correct space (parameterless constructor), and
/// <see cref="SearchSpaceConformanceTestsTests"/> creates instances over broken spaces and calls single checks directly.
/// </summary>
[TestFixture]
public sealed class ToySearchSpaceConformanceTests : SearchSpaceConformanceTests<ToyArchitecture>
{
    private readonly ToyDefects _defects;

    public ToySearchSpaceConformanceTests()
        : this(ToyDefects.None)
    {
    }

    public ToySearchSpaceConformanceTests(ToyDefects defects) => _defects = defects;

    protected override IEnumerable<string> MalformedTexts => ["1.2", "1.2.3.0", "4.0.0", "a.b.c", "1..2"];

    protected override ISearchSpace<ToyArchitecture> CreateSpace() => new ToySearchSpace(_defects);
}
