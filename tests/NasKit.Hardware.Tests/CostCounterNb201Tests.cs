using System.Globalization;
using System.Reflection;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Hardware.Tests;

/// <summary>NAS-Bench-201's counting convention (ALGORITHMS.md §5(d)): our counts must equal the benchmark's published figures.</summary>
public sealed class CostCounterNb201Tests
{
    private static readonly (string Name, Nb201NetworkOptions Options)[] s_datasets =
    [
        ("c10", Nb201NetworkOptions.Cifar10),
        ("c100", Nb201NetworkOptions.Cifar100),
        ("in16", Nb201NetworkOptions.ImageNet16_120),
    ];

    [Test]
    public void Count_WorkedExample_MatchesPublishedParamsAndFlops()
    {
        // ALGORITHMS.md §5(d): NB201 reports 1.073466 MB and 153.27 M FLOPs; exact counts 1,073,466 and 153,272,970.
        var space = new Nb201SearchSpace();
        var cost = CostCounter.Count(space, space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"));
        Assert.Multiple(() =>
        {
            Assert.That(cost.Parameters, Is.EqualTo(1_073_466));
            Assert.That(cost.Macs, Is.EqualTo(153_272_970));
        });
    }

    // Published figures of NAS-Bench-201 (benchmark rows 0 and 1 of shared/benchmarks/nb201/nb201_all.csv: params_* and flops_* in
    // millions, here times 1e6): every dataset's input size and class count.
    [TestCase("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", 0, 129_306L, 15_647_370L)]
    [TestCase("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", 1, 135_156L, 15_653_220L)]
    [TestCase("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", 2, 136_456L, 3_919_480L)]
    [TestCase("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", 0, 802_426L, 113_951_370L)]
    [TestCase("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", 1, 808_276L, 113_957_220L)]
    [TestCase("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", 2, 809_576L, 28_495_480L)]
    public void Count_PublishedRows_MatchBenchmark(string arch, int dataset, long parameters, long macs)
    {
        var space = new Nb201SearchSpace(s_datasets[dataset].Options);
        var cost = CostCounter.Count(space, space.Parse(arch));
        Assert.Multiple(() =>
        {
            Assert.That(cost.Parameters, Is.EqualTo(parameters));
            Assert.That(cost.Macs, Is.EqualTo(macs));
        });
    }

    [Test]
    public void Count_AllNoneCell_StillCountsEveryLayerOutsideCells()
    {
        // With no convolution in any cell, what remains is the stem, the two residual blocks and the classifier; the same cell with
        // every edge a 3×3 convolution adds 15 cells · 6 edges of C·C·9 weights (+ BN γ, β) at each stage's width.
        var space = new Nb201SearchSpace();
        var empty = CostCounter.Count(space, space.Parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        var full = CostCounter.Count(space, space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"));
        long expectedExtraParams = 0, expectedExtraMacs = 0;
        foreach (var (c, hw) in new[] { (16, 32 * 32), (32, 16 * 16), (64, 8 * 8) })
        {
            expectedExtraParams += 5 * 6 * ((c * c * 9) + (2 * c));
            expectedExtraMacs += 5 * 6 * (long)c * c * 9 * hw;
        }

        Assert.Multiple(() =>
        {
            Assert.That(full.Parameters - empty.Parameters, Is.EqualTo(expectedExtraParams));
            Assert.That(full.Macs - empty.Macs, Is.EqualTo(expectedExtraMacs));
        });
    }

    /// <summary>
    /// Checks every one of the 15,625 cells on all three datasets against the benchmark file when it is available (set
    /// NASKIT_NB201_DIR, or keep the repository next to <c>shared/benchmarks/nb201</c>). Counts depend only on how many 1×1 and 3×3
    /// convolutions a cell has (every edge runs), so one network per (n1, n3) class is counted, and a second, different cell of the
    /// class confirms that the counter sees it the same way.
    /// </summary>
    [Test]
    [Category("Slow")]
    public void Count_EveryBenchmarkCell_MatchesPublishedParamsAndFlops()
    {
        var file = FindBenchmarkFile();
        if (file is null)
        {
            Assert.Ignore("nb201_all.csv not found; set NASKIT_NB201_DIR to the folder of the NAS-Bench-201 tables to run this check.");
        }

        var rows = ReadRows(file);
        Assert.That(rows, Has.Count.EqualTo(15_625));
        var classes = rows.GroupBy(r => ConvCounts(r.Arch)).ToList();
        var mismatches = new List<string>();
        for (var d = 0; d < s_datasets.Length; d++)
        {
            var space = new Nb201SearchSpace(s_datasets[d].Options);
            foreach (var cls in classes)
            {
                var members = cls.ToList();
                var first = CostCounter.Count(space, space.Parse(members[0].Arch));
                var second = CostCounter.Count(space, space.Parse(members[^1].Arch));
                if (second.Parameters != first.Parameters || second.Macs != first.Macs)
                {
                    mismatches.Add($"{s_datasets[d].Name}: {members[0].Arch} and {members[^1].Arch} counted differently");
                }

                mismatches.AddRange(members
                    .Where(r => r.Params[d] != first.Parameters || r.Flops[d] != first.Macs)
                    .Select(r => $"{s_datasets[d].Name} {r.Arch}: published {r.Params[d]} params / {r.Flops[d]} MACs, counted {first.Parameters} / {first.Macs}"));
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    private static (int N1, int N3) ConvCounts(string arch) =>
        (arch.Split("nor_conv_1x1").Length - 1, arch.Split("nor_conv_3x3").Length - 1);

    private static string? FindBenchmarkFile()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("NASKIT_NB201_DIR");
        if (fromEnvironment is not null)
        {
            var f = Path.Combine(fromEnvironment, "nb201_all.csv");
            return File.Exists(f) ? f : null;
        }

        var root = typeof(CostCounterNb201Tests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
        {
            var f = Path.Combine(dir.FullName, "shared", "benchmarks", "nb201", "nb201_all.csv");
            if (File.Exists(f))
            {
                return f;
            }
        }

        return null;
    }

    private static List<(string Arch, long[] Params, long[] Flops)> ReadRows(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var (arch, p, f) = (Col("arch"), new[] { Col("params_c10"), Col("params_c100"), Col("params_in16") }, new[] { Col("flops_c10"), Col("flops_c100"), Col("flops_in16") });
        static long Millions(string s) => (long)Math.Round(double.Parse(s, CultureInfo.InvariantCulture) * 1e6);
        return lines.Skip(1).Select(l => l.Split(','))
            .Select(c => (c[arch], p.Select(i => Millions(c[i])).ToArray(), f.Select(i => Millions(c[i])).ToArray()))
            .ToList();
    }
}
