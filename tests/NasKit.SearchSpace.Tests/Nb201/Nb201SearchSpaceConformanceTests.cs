using NasKit.SearchSpace.Nb201;
using NasKit.Testing;

namespace NasKit.SearchSpace.Tests.Nb201;

[TestFixture]
public sealed class Nb201SearchSpaceConformanceTests : SearchSpaceConformanceTests<Nb201Cell>
{
    protected override IEnumerable<string> MalformedTexts =>
    [
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2",
        "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|",
        "|none~1|+|none~0|none~1|+|none~0|none~1|none~2|",
        "|none~0|+|none~0|none~1|",
        "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|",
        "|none~0|+|none~0|+|none~0|none~1|none~2|",
        "|none~0|none~1|+|none~0|none~1|+|none~0|none~1|none~2|",
        "none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
        " |none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
    ];

    protected override ISearchSpace<Nb201Cell> CreateSpace() => new Nb201SearchSpace();

    protected override ISearchSpace<Nb201Cell> CreateBuildSpace() =>
        new Nb201SearchSpace(new Nb201NetworkOptions { Channels = 4, CellsPerStage = 1, InputSize = 8 });
}
