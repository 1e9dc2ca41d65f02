// NasKit quickstart: a multi-objective architecture search (validation accuracy vs MACs) over a reduced NAS-Bench-201 space on
// Fashion-MNIST (1x28x28), with short per-trial training. See README.md for the measured settings.
// Progress goes to stderr through ILogger (one line per trial); stdout gets the Pareto front as a table, then one JSON line:
// {"trials":T,"best_test_accuracy":A,"pareto":[{"arch":...,"accuracy":...,"macs":...,"test_accuracy":...},...],"elapsed_seconds":S}.
// Test accuracy is measured on the 10k test images once per trial, after its training, and is never used to select anything:
// the front is chosen on validation accuracy and MACs, and best_test_accuracy is the test accuracy of the front's member with the
// highest validation accuracy.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using NasKit.Data.Mnist;
using NasKit.Data.Splits;
using NasKit.Data.Transforms;
using NasKit.Objectives;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers;
using NasKit.Optimizers.Strategies;
using NasKit.Quickstart;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

var clock = Stopwatch.StartNew();
var options = QuickstartOptions.Parse(args, out var error);
if (options is null)
{
    if (string.IsNullOrEmpty(error))
    {
        Console.WriteLine(QuickstartOptions.Usage);
        return 0;
    }

    Console.Error.WriteLine(error);
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // Ctrl+C stops the search; the front so far is still printed
    cancellation.Cancel();
};

var loggerFactory = LoggerFactory.Create(builder => builder
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace) // progress to stderr; stdout carries only the result
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    })
    .SetMinimumLevel(LogLevel.Information));
var logger = loggerFactory.CreateLogger("Quickstart");

NasKit.Data.InMemoryDataset train, test;
try
{
    train = FashionMnist.Load(options.DataFolder, train: true);
    test = FashionMnist.Load(options.DataFolder, train: false);
}
catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
{
    Console.Error.WriteLine($"Cannot load Fashion-MNIST from '{options.DataFolder}': {ex.Message}");
    Console.Error.WriteLine("On Debian, install the data with: sudo apt-get install dataset-fashion-mnist (or pass --data DIR).");
    loggerFactory.Dispose();
    return 2;
}

// Standardise with the training images' statistics, then hold out 10% of them (stratified, seeded) for validation.
var statistics = ChannelStatistics.Compute(train);
Standardization.ApplyInPlace(train, statistics);
Standardization.ApplyInPlace(test, statistics);
var split = DataSplits.TrainValidation(train, validationFraction: 0.1, options.Seed);
logger.DataLoaded(split.Train.Count, split.Validation.Count, test.Count, options.DataFolder);

TensorEngine.ThreadCount = options.Threads;
var space = new Nb201SearchSpace(Nb201NetworkOptions.Cifar10 with
{
    InputChannels = 1,
    InputSize = 28,
    Classes = 10,
    Channels = options.Channels,
    CellsPerStage = options.Cells,
});
var recipe = new TrainingRecipe
{
    Epochs = options.Epochs,
    Seed = options.Seed,
    TrainSamples = Math.Min(options.TrainSamples, split.Train.Count),
    BatchSize = options.BatchSize,
    LearningRate = options.LearningRate,
};
var evaluator = new AccuracyAndMacsEvaluator(space, new TrainingEvaluator(space, split.Train, split.Validation, recipe, testSet: test));
ISearchStrategy strategy = options.Strategy == "random" ? new RandomSearch() : new Nsga2(populationSize: options.Population);
var study = new Study(
    "quickstart",
    space,
    strategy,
    [Objective.Maximize(StandardMetrics.ValidationAccuracy), Objective.Minimize(StandardMetrics.Macs)],
    options: new StudyOptions { Seed = options.Seed });

logger.SearchStarted(options.Channels, options.Cells, strategy.Name, options.Trials, options.Epochs, recipe.TrainSamples.Value, recipe.BatchSize, recipe.LearningRate, TensorEngine.ThreadCount, options.Seed);
var progress = new TrialLogger(logger, options.Trials);
StudyResult result;
try
{
    result = await study.OptimizeAsync(evaluator, options.Trials, progress: progress, cancellationToken: cancellation.Token);
}
catch (OperationCanceledException)
{
    result = new StudyResult(null, study.BestTrials, study.Trials.Count(t => t.State == TrialState.Complete), Stopped: true);
}

if (result.Stopped)
{
    logger.Stopped(result.TrialCount);
}

loggerFactory.Dispose(); // flush the log before the result

var front = result.ParetoFront
    .OrderBy(t => t.GetMetric(StandardMetrics.Macs))
    .ThenByDescending(t => t.GetMetric(StandardMetrics.ValidationAccuracy))
    .ToList();
Console.WriteLine(FormatTable(front));

// Selected on validation accuracy only (ties: fewer MACs); its test accuracy is then read, not compared.
var selected = front
    .OrderByDescending(t => t.GetMetric(StandardMetrics.ValidationAccuracy))
    .ThenBy(t => t.GetMetric(StandardMetrics.Macs))
    .FirstOrDefault();
var summary = new QuickstartResult(
    result.TrialCount,
    selected is null ? null : Math.Round(selected.GetMetric(StandardMetrics.TestAccuracy), 4),
    [.. front.Select(t => new ParetoPoint(
        t.Architecture,
        Math.Round(t.GetMetric(StandardMetrics.ValidationAccuracy), 4),
        (long)t.GetMetric(StandardMetrics.Macs),
        Math.Round(t.GetMetric(StandardMetrics.TestAccuracy), 4)))],
    Math.Round(clock.Elapsed.TotalSeconds, 1));
// Relaxed escaping keeps the architectures' '+' readable ("|nor_conv_3x3~0|+|...") instead of "\u002B".
Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
return result.Stopped && cancellation.IsCancellationRequested ? 130 : 0;

static string FormatTable(IReadOnlyList<FrozenTrial> front)
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"Pareto front ({front.Count} architectures; validation accuracy vs MACs):");
    text.AppendLine("  trial  val_acc  test_acc        MACs   params  architecture");
    foreach (var t in front)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  {t.Number,5}  {t.GetMetric(StandardMetrics.ValidationAccuracy),7:F4}  {t.GetMetric(StandardMetrics.TestAccuracy),8:F4}  {t.GetMetric(StandardMetrics.Macs),10:N0}  {t.GetMetric(StandardMetrics.Parameters),7:N0}  {t.Architecture}");
    }

    return text.ToString().TrimEnd();
}

/// <summary>The JSON result line.</summary>
internal sealed record QuickstartResult(
    [property: JsonPropertyName("trials")] int Trials,
    [property: JsonPropertyName("best_test_accuracy")] double? BestTestAccuracy,
    [property: JsonPropertyName("pareto")] IReadOnlyList<ParetoPoint> Pareto,
    [property: JsonPropertyName("elapsed_seconds")] double ElapsedSeconds);

/// <summary>One member of the Pareto front in the JSON result line.</summary>
internal sealed record ParetoPoint(
    [property: JsonPropertyName("arch")] string Arch,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("macs")] long Macs,
    [property: JsonPropertyName("test_accuracy")] double TestAccuracy);
