// Every search strategy against random search at the same budget on the NAS-Bench-201 table (issue 5, "Done means"):
//   dotnet run -c Release --project perf/NasKit.StrategyBench -- [--table PATH] [--trials 100] [--seeds 30]
//       [--strategies random,rea,ls,nsga2,tpe,bananas] [--seeds-for NAME=N ...] [--no-multi]
// The table is read where it lies (default ../shared/benchmarks/nb201/nb201_all.csv relative to the repository root); it is never
// copied into the repository. Single objective: c10_valid:max. For each strategy and seed, the study's best trial (by c10_valid)
// gives the best validation accuracy found and its c10_test. Multi-objective (nsga2, tpe vs random): c10_valid:max and
// flops_c10:min, compared by the hypervolume of each study's Pareto front.
using System.Diagnostics;
using System.Globalization;
using NasKit.Objectives;
using NasKit.Objectives.Evaluation;
using NasKit.Objectives.Pareto;
using NasKit.Objectives.Protocol;
using NasKit.Optimizers;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace.Nb201;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string? tablePath = null;
var trials = 100;
var seeds = 30;
var multi = true;
var strategies = new List<string> { "random", "rea", "ls", "nsga2", "tpe", "bananas" };
var seedsFor = new Dictionary<string, int>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--table" when i + 1 < args.Length:
            tablePath = args[++i];
            break;
        case "--trials" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 1:
            trials = n;
            i++;
            break;
        case "--seeds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s) && s >= 2:
            seeds = s;
            i++;
            break;
        case "--strategies" when i + 1 < args.Length:
            strategies = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            break;
        case "--seeds-for" when i + 1 < args.Length && args[i + 1].Split('=') is [var name, var count] && int.TryParse(count, CultureInfo.InvariantCulture, out var c) && c >= 2:
            seedsFor[name] = c;
            i++;
            break;
        case "--no-multi":
            multi = false;
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'. Usage: --table PATH --trials N --seeds N --strategies a,b --seeds-for NAME=N --no-multi");
            return 2;
    }
}

tablePath ??= Path.Combine(FindRepositoryRoot(), "..", "shared", "benchmarks", "nb201", "nb201_all.csv");
if (!File.Exists(tablePath))
{
    Console.Error.WriteLine($"The NB201 table '{Path.GetFullPath(tablePath)}' does not exist; pass --table PATH.");
    return 2;
}

if (!strategies.Contains("random"))
{
    strategies.Insert(0, "random");
}

var table = TabularBenchmark.Load(tablePath);
var evaluator = new TabularEvaluator(table, ["c10_valid", "c10_test", "flops_c10"]);
var space = new Nb201SearchSpace();

Console.WriteLine("# NasKit.StrategyBench — strategies vs random search on NAS-Bench-201 (CIFAR-10)");
Console.WriteLine($"# command: dotnet run -c Release --project perf/NasKit.StrategyBench --{(args.Length == 0 ? string.Empty : " " + string.Join(' ', args))}");
Console.WriteLine(
    $"# effective: --table {Path.GetRelativePath(FindRepositoryRoot(), Path.GetFullPath(tablePath))} --trials {trials} --seeds {seeds} --strategies {string.Join(',', strategies)}" +
    string.Concat(seedsFor.Select(kv => $" --seeds-for {kv.Key}={kv.Value}")) + (multi ? string.Empty : " --no-multi"));
Console.WriteLine($"# table: {Path.GetFileName(tablePath)} ({table.Count} architectures); budget {trials} trials per study; seeds 0..{seeds - 1} (unless noted)");
Console.WriteLine($"# runtime: .NET {Environment.Version}, {Environment.ProcessorCount} logical cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine("# single objective c10_valid:max; best = the study's best trial by c10_valid; test = that trial's c10_test.");
Console.WriteLine("# RI = NasKit.Objectives.Protocol.RelativeImprovement of the best's c10_test vs random's (percent).");
Console.WriteLine("# P(>rand) = fraction of seeds whose best's c10_test exceeds random search's mean best c10_test.");
Console.WriteLine();

var single = new Dictionary<string, (double[] Valid, double[] Test, double Seconds)>(StringComparer.Ordinal);
Objective[] accuracy = [Objective.Maximize("c10_valid")];
foreach (var name in strategies)
{
    var count = seedsFor.TryGetValue(name, out var k) ? k : seeds;
    var valid = new double[count];
    var test = new double[count];
    var watch = Stopwatch.StartNew();
    for (var seed = 0; seed < count; seed++)
    {
        var study = new Study($"{name}-{seed}", space, Create(name), accuracy, options: new StudyOptions { Seed = seed });
        var result = await study.OptimizeAsync(evaluator, trials);
        var best = result.BestTrial ?? throw new InvalidOperationException($"{name} seed {seed}: no completed trial.");
        valid[seed] = best.GetMetric("c10_valid");
        test[seed] = best.GetMetric("c10_test");
    }

    single[name] = (valid, test, watch.Elapsed.TotalSeconds);
    Console.Error.WriteLine($"{name}: {count} seeds in {watch.Elapsed.TotalSeconds:F1} s");
}

var random = single["random"];
var randomTestMean = random.Test.Average();
Console.WriteLine("| strategy | seeds | best c10_valid (mean ± std) | its c10_test (mean ± std) | RI vs random (%) | P(>rand) | s/seed |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var name in strategies)
{
    var (valid, test, seconds) = single[name];
    var v = SampleSummary.Of(valid);
    var t = SampleSummary.Of(test);
    var ri = RelativeImprovement.Compute(test, random.Test);
    var better = test.Count(x => x > randomTestMean) / (double)test.Length;
    Console.WriteLine(
        $"| {name} | {valid.Length} | {v.Mean:F2} ± {v.StandardDeviation:F2} | {t.Mean:F2} ± {t.StandardDeviation:F2} | {ri.Value:+0.000;-0.000;0.000} | {better:F2} | {seconds / valid.Length:F2} |");
}

var oracleValid = table.GetColumn("c10_valid").Max();
Console.WriteLine();
Console.WriteLine($"# table optimum: c10_valid {oracleValid:F2}");

if (multi)
{
    // Reference point: the table's median c10_valid and its largest flops_c10. With the worst c10_valid (about 10 %) every front
    // covers ~99 % of the table front's volume and the comparison says little; the median puts the volume on the better half.
    Objective[] twoObjectives = [Objective.Maximize("c10_valid"), Objective.Minimize("flops_c10")];
    double[] reference = [Median(table.GetColumn("c10_valid")), table.GetColumn("flops_c10").Max()];
    var validColumn = table.GetColumn("c10_valid");
    var flopsColumn = table.GetColumn("flops_c10");
    var directions = twoObjectives.Select(o => o.Direction).ToArray();
    var tablePoints = Enumerable.Range(0, table.Count).Select(i => new[] { validColumn[i], flopsColumn[i] }).ToArray();
    var tableHv = Hypervolume.Compute([.. ParetoFront.Of(tablePoints, directions).Select(i => tablePoints[i])], reference, directions);
    Console.WriteLine();
    Console.WriteLine("# multi-objective: c10_valid:max, flops_c10:min; HV = hypervolume of the study's Pareto front with reference");
    Console.WriteLine($"# (median c10_valid, max flops_c10) = ({reference[0]:F4}, {reference[1]:F4}); HV%% = HV / HV of the whole table's front ({tableHv:F2}).".Replace("%%", "%", StringComparison.Ordinal));
    Console.WriteLine("| strategy | seeds | HV% (mean ± std) | RI of HV vs random (%) | P(>rand) | front size (mean) | s/seed |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    List<string> multiNames = [.. strategies.Where(s => s is "random" or "nsga2" or "tpe")];
    double[]? randomHv = null;
    foreach (var name in multiNames)
    {
        var count = seedsFor.TryGetValue(name, out var k) ? k : seeds;
        var hv = new double[count];
        var frontSize = new double[count];
        var watch = Stopwatch.StartNew();
        for (var seed = 0; seed < count; seed++)
        {
            var study = new Study($"{name}-mo-{seed}", space, Create(name), twoObjectives, options: new StudyOptions { Seed = seed });
            var result = await study.OptimizeAsync(evaluator, trials);
            hv[seed] = 100 * Hypervolume.Compute(
                [.. result.ParetoFront.Select(t => new[] { t.GetMetric("c10_valid"), t.GetMetric("flops_c10") })], reference, directions) / tableHv;
            frontSize[seed] = result.ParetoFront.Count;
        }

        randomHv ??= hv;
        var summary = SampleSummary.Of(hv);
        var ri = RelativeImprovement.Compute(hv, randomHv);
        var better = hv.Count(x => x > randomHv.Average()) / (double)hv.Length;
        Console.WriteLine(
            $"| {name} | {count} | {summary.Mean:F3} ± {summary.StandardDeviation:F3} | {ri.Value:+0.000;-0.000;0.000} | {better:F2} | {frontSize.Average():F1} | {watch.Elapsed.TotalSeconds / count:F2} |");
    }
}

return 0;

static ISearchStrategy Create(string name) => name switch
{
    "random" => new RandomSearch(),
    "rea" => new RegularizedEvolution(),
    "ls" => new LocalSearch(),
    "nsga2" => new Nsga2(),
    "tpe" => new Tpe(),
    "bananas" => new Bananas(),
    _ => throw new ArgumentException($"Unknown strategy '{name}'; expected random, rea, ls, nsga2, tpe or bananas.", nameof(name)),
};

static double Median(IReadOnlyList<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
