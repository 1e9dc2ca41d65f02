// The one-shot benchmark of issue 6: the six strategies on Fashion-MNIST in the ZO-DARTS+ setting (NB201 cell, C = 16, N = 3, one
// input channel), the same epochs, data and seeds for each, every found cell retrained the same way.
//   dotnet run -c Release --project perf/NasKit.OneShotBench -- [--epochs 10] [--seeds 1] [--first-seed 1] [--train-samples 4000] [--batch 64]
//       [--channels 16] [--cells 3] [--retrain-epochs 2] [--retrain-samples 8000] [--strategies darts,darts2,gdas,spos,zo-darts,zo-darts+]
//       [--spos-population 16] [--spos-generations 4] [--out results.jsonl] [--sequential] [--search-only] [--profile] [--temperature T0]
//   dotnet run -c Release --project perf/NasKit.OneShotBench -- --memory zo-darts [--cells 5] [--channels 16] [--batch 64]
// --sequential runs independent passes one after the other (OneShotSearchOptions.ConcurrentPasses = false) for A/B runs;
// --temperature T0 sets ZO-DARTS+'s initial sparsemax temperature (a tiny T0 makes the mixing sparse from the first step, which
// measures what sparse execution saves once α has separated);
// --first-seed S runs seeds S .. S + seeds − 1 (to add seeds to an earlier run);
// --search-only skips retraining (no accuracy column); --profile (implies --search-only; use with --sequential, as the kernel profiler
// times the calling thread) prints each method's kernels per search step.
// The table: search seconds (wall, mean over seeds) and process CPU seconds (less sensitive to other load on a shared machine),
// speed-up = DARTS-2nd seconds / strategy seconds, found cells, whether a cell is
// skip/none only (collapse), and the retrained test accuracy on the 10,000 test images. --memory runs one short epoch of a strategy on
// random 3x32x32 data and prints the process's peak working set (run it in its own process; the search itself is what is measured).
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NasKit.Data;
using NasKit.Data.Mnist;
using NasKit.Data.Splits;
using NasKit.Data.Transforms;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers.OneShot;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var epochs = 10;
var seeds = 1;
var firstSeed = 1;
var trainSamples = 4000;
var batch = 64;
var channels = 16;
int? cellsArgument = null;
var retrainEpochs = 2;
var retrainSamples = 8000;
var sposPopulation = 16;
var sposGenerations = 4;
string? outPath = null;
string? memory = null;
var concurrentPasses = true;
var searchOnly = false;
var profile = false;
double? temperature = null;
var strategies = OneShotMethods.Names.ToList();
for (var i = 0; i < args.Length; i++)
{
    int Next() => i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{args[i - 1]} needs a positive integer.");
    switch (args[i])
    {
        case "--epochs": epochs = Next(); break;
        case "--seeds": seeds = Next(); break;
        case "--first-seed": firstSeed = Next(); break;
        case "--train-samples": trainSamples = Next(); break;
        case "--batch": batch = Next(); break;
        case "--channels": channels = Next(); break;
        case "--cells": cellsArgument = Next(); break;
        case "--retrain-epochs": retrainEpochs = Next(); break;
        case "--retrain-samples": retrainSamples = Next(); break;
        case "--spos-population": sposPopulation = Next(); break;
        case "--spos-generations": sposGenerations = Next(); break;
        case "--out" when i + 1 < args.Length: outPath = args[++i]; break;
        case "--sequential": concurrentPasses = false; break;
        case "--search-only": searchOnly = true; break;
        case "--profile": profile = true; searchOnly = true; break;
        case "--temperature" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var t0) && t0 > 0:
            temperature = t0;
            i++;
            break;
        case "--memory" when i + 1 < args.Length: memory = args[++i]; break;
        case "--strategies" when i + 1 < args.Length:
            strategies = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}' (see the comment at the top of Program.cs)");
            return 2;
    }
}

if (memory is not null)
{
    return MemoryProbe(OneShotMethods.Parse(memory), channels, cellsArgument ?? 5, batch);
}

var cells = cellsArgument ?? 3;
var train = FashionMnist.Load(train: true);
var test = FashionMnist.Load(train: false);
var statistics = ChannelStatistics.Compute(train);
Standardization.ApplyInPlace(train, statistics);
Standardization.ApplyInPlace(test, statistics);
var network = Nb201NetworkOptions.Cifar10 with { InputChannels = 1, InputSize = 28, Classes = FashionMnist.NumClasses, Channels = channels, CellsPerStage = cells };
var retrainSplit = DataSplits.TrainValidation(train, 0.1, seed: 12345);
using var output = outPath is null ? null : new StreamWriter(outPath, append: true);
Console.Error.WriteLine($"one-shot benchmark: epochs {epochs}, seeds {seeds}, search data {trainSamples} images (half weights, half architecture), batch {batch}, C {channels}, N {cells}; retrain {retrainEpochs} epochs on {retrainSamples} images; SPOS evolution {sposPopulation}x{sposGenerations}");
var rows = new List<(string Strategy, long Seed, double Seconds, double CpuSeconds, string Cell, bool Collapsed, double Accuracy, double ActiveOps)>();
for (long seed = firstSeed; seed < firstSeed + seeds; seed++)
{
    var searchData = train.Subset(new Generator(seed).Permutation(train.Count).AsSpan(0, Math.Min(trainSamples, train.Count)));
    foreach (var name in strategies)
    {
        OneShotMethod method;
        try
        {
            method = OneShotMethods.Parse(name);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var options = new OneShotSearchOptions(method)
        {
            Network = network,
            Epochs = epochs,
            BatchSize = batch,
            Seed = seed,
            EvolutionPopulation = sposPopulation,
            EvolutionGenerations = sposGenerations,
            EvolutionParents = Math.Max(1, sposPopulation / 5),
            EvolutionMutations = sposPopulation / 2,
            EvolutionCrossovers = sposPopulation / 2,
            RecalibrationBatches = 5,
            RecalibrationBatchSize = 128,
            EvaluationBatches = 5,
            EvaluationBatchSize = 200,
            ConcurrentPasses = concurrentPasses,
        };
        if (temperature is { } t)
        {
            options = options with { InitialTemperature = t };
        }

        var cpuBefore = CpuTime();
        using var profiler = profile ? TensorEngine.StartProfiling() : null;
        using var result = new OneShotSearch(options).Run(searchData, new Line(r => Console.Error.WriteLine($"  {name} seed {seed} epoch {r.Epoch + 1}/{r.Epochs}: loss {r.TrainLoss:F3}, active ops/edge {r.ActiveOperations:F2}, {r.SearchSeconds:F1} s {r.Cell}")));
        var cpuSeconds = (CpuTime() - cpuBefore).TotalSeconds;
        if (profiler is not null)
        {
            var steps = (Math.Min(trainSamples, train.Count) / 2 / batch) * epochs;
            Console.Error.WriteLine($"--- {name}: kernel profile of {epochs} epoch(s), {steps} steps, {result.SearchSeconds:F1} s ({result.SearchSeconds / steps * 1000:F0} ms per step); calls per step:");
            foreach (var k in profiler.Snapshot().Take(12))
            {
                Console.Error.WriteLine($"  {k.Kernel,-28} {k.Calls / (double)steps,8:F1} calls/step {k.Total.TotalMilliseconds / steps,9:F1} ms/step");
            }
        }

        if (searchOnly)
        {
            rows.Add((name, seed, result.SearchSeconds, cpuSeconds, result.Cell.ToString(), result.IsCollapsed, double.NaN, result.History.Average(h => h.ActiveOperations)));
            Console.WriteLine(JsonSerializer.Serialize(new { strategy = name, seed, epochs, concurrent_passes = concurrentPasses, search_seconds = Math.Round(result.SearchSeconds, 2), search_cpu_seconds = Math.Round(cpuSeconds, 2), arch = result.Cell.ToString() }, Json.Options));
            continue;
        }

        var recipe = new TrainingRecipe { Epochs = retrainEpochs, Seed = seed, TrainSamples = Math.Min(retrainSamples, retrainSplit.Train.Count) };
        var evaluator = new TrainingEvaluator(new Nb201SearchSpace(network), retrainSplit.Train, retrainSplit.Validation, recipe, test);
        var evaluation = evaluator.EvaluateAsync(result.Cell, NullTrialReporter.Instance).AsTask().GetAwaiter().GetResult();
        var accuracy = evaluation[StandardMetrics.TestAccuracy];
        var activeOps = result.History.Average(h => h.ActiveOperations);
        rows.Add((name, seed, result.SearchSeconds, cpuSeconds, result.Cell.ToString(), result.IsCollapsed, accuracy, activeOps));
        var line = JsonSerializer.Serialize(new { strategy = name, seed, epochs, concurrent_passes = concurrentPasses, search_seconds = Math.Round(result.SearchSeconds, 2), search_cpu_seconds = Math.Round(cpuSeconds, 2), arch = result.Cell.ToString(), collapsed = result.IsCollapsed, mean_active_ops_per_edge = Math.Round(activeOps, 3), retrain_test_accuracy = accuracy }, Json.Options);
        Console.WriteLine(line);
        output?.WriteLine(line);
        output?.Flush();
    }
}

var darts2 = rows.Where(r => r.Strategy == "darts2").Select(r => r.Seconds).DefaultIfEmpty(double.NaN).Average();
var darts2Cpu = rows.Where(r => r.Strategy == "darts2").Select(r => r.CpuSeconds).DefaultIfEmpty(double.NaN).Average();
var best = rows.GroupBy(r => r.Strategy).Max(g => g.Average(r => r.Accuracy));
if (searchOnly)
{
    return 0;
}

Console.WriteLine();
Console.WriteLine("| strategy | search s (mean) | speed-up vs DARTS-2nd | search CPU s | CPU speed-up | mean active ops/edge | retrained test acc (mean) | gap to best | collapsed | cells |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
foreach (var g in rows.GroupBy(r => r.Strategy))
{
    var seconds = g.Average(r => r.Seconds);
    var accuracy = g.Average(r => r.Accuracy);
    var cpu = g.Average(r => r.CpuSeconds);
    Console.WriteLine($"| {g.Key} | {seconds:F1} | {darts2 / seconds:F2} | {cpu:F1} | {darts2Cpu / cpu:F2} | {g.Average(r => r.ActiveOps):F2} | {accuracy:F4} | {(best - accuracy) * 100:F2} pt | {g.Count(r => r.Collapsed)}/{g.Count()} | {string.Join(" ", g.Select(r => r.Cell))} |");
}

return 0;

static TimeSpan CpuTime()
{
    using var process = Process.GetCurrentProcess();
    return process.TotalProcessorTime;
}

static int MemoryProbe(OneShotMethod method, int channels, int cells, int batch)
{
    const int steps = 10;
    var generator = new Generator(1);
    var count = 2 * batch * steps;
    var features = new float[count * 3 * 32 * 32];
    for (var i = 0; i < features.Length; i++)
    {
        features[i] = (float)generator.NextNormal();
    }

    var labels = Enumerable.Range(0, count).Select(i => i % 10).ToArray();
    var data = new InMemoryDataset(features, labels, [3, 32, 32], 10);
    var options = new OneShotSearchOptions(method) { Network = Nb201NetworkOptions.Cifar10 with { Channels = channels, CellsPerStage = cells }, Epochs = 1, BatchSize = batch, Seed = 1 };
    long before;
    using (var start = Process.GetCurrentProcess())
    {
        before = start.PeakWorkingSet64;
    }

    var clock = Stopwatch.StartNew();
    using (new OneShotSearch(options).Run(data))
    {
    }

    using var process = Process.GetCurrentProcess();
    process.Refresh();
    var peak = process.PeakWorkingSet64;
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        memory_probe = OneShotMethods.GetName(method),
        channels,
        cells,
        batch,
        steps,
        seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
        peak_working_set_mib = Math.Round(peak / (1024.0 * 1024.0), 1),
        peak_before_search_mib = Math.Round(before / (1024.0 * 1024.0), 1),
        gc_total_allocated_mib = Math.Round(GC.GetTotalAllocatedBytes() / (1024.0 * 1024.0), 1),
    }, Json.Options));
    return 0;
}

internal sealed class Line(Action<OneShotEpochReport> action) : IProgress<OneShotEpochReport>
{
    public void Report(OneShotEpochReport value) => action(value);
}

internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
