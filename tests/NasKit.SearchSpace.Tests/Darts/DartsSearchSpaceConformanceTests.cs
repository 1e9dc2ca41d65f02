using NasKit.SearchSpace.Darts;
using NasKit.Testing;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Darts;

/// <summary>Runs the shared search-space contract against the DARTS cell space.</summary>
[TestFixture]
public sealed class DartsSearchSpaceConformanceTests : SearchSpaceConformanceTests<DartsGenotype>
{
    private const string V2 =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), "
        + "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))";

    /// <inheritdoc/>
    protected override IEnumerable<string> MalformedTexts =>
    [
        V2.Replace("('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)", "('none', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0)", StringComparison.Ordinal),
        V2.Replace("('dil_conv_3x3', 2)", "('dil_conv_3x3', 6)", StringComparison.Ordinal),
        V2.Replace("('dil_conv_3x3', 2)", "('conv_7x1_1x7', 2)", StringComparison.Ordinal),
        V2.Replace(", ('dil_conv_3x3', 2)]", "]", StringComparison.Ordinal),
        V2.Replace("normal_concat=range(2, 6)", "normal_concat=range(2, 5)", StringComparison.Ordinal),
        V2[..^1],
        V2 + " x",
        "Genotype(",
    ];

    /// <inheritdoc/>
    protected override ISearchSpace<DartsGenotype> CreateSpace() => new DartsSearchSpace();

    /// <inheritdoc/>
    protected override ISearchSpace<DartsGenotype> CreateBuildSpace() =>
        new DartsSearchSpace(new DartsNetworkOptions { Channels = 4, Layers = 3, InputSize = 16, Classes = 5 });
}
