using NasKit.Optimizers.OneShot;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Optimizers.Tests.OneShot;

public sealed class OneShotSearchResultTests
{
    private static readonly Nb201SearchSpace s_space = new();

    [TestCase("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|", ExpectedResult = true)]
    [TestCase("|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|", ExpectedResult = true)]
    [TestCase("|none~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|none~2|", ExpectedResult = true)]
    [TestCase("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|", ExpectedResult = true)]
    [TestCase("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|nor_conv_1x1~1|none~2|", ExpectedResult = false)]
    [TestCase("|none~0|+|none~0|none~1|+|avg_pool_3x3~0|none~1|none~2|", ExpectedResult = false)]
    [TestCase("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|nor_conv_1x1~0|nor_conv_1x1~1|none~2|", ExpectedResult = false)]
    public bool IsCollapsedCell_Cell_TrueWhenEveryLiveEdgeIsNoneOrSkip(string cell) => OneShotSearchResult.IsCollapsedCell(s_space.Parse(cell));
}
