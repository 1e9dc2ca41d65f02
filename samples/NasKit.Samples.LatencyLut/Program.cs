// Builds a per-layer latency look-up table (LUT) from sampled NAS-Bench-201 networks and reports how well it predicts their
// end-to-end latencies: Spearman rank correlation (what a search needs: the right order) and MAPE (absolute accuracy).
// Progress goes to stderr through ILogger; the report goes to stdout.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NasKit.Hardware.Latency;
using NasKit.Samples.LatencyLut;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.NN;

var options = SampleOptions.Parse(args, out var error);
if (options is null)
{
    if (string.IsNullOrEmpty(error))
    {
        Console.WriteLine(SampleOptions.Usage);
        return 0;
    }

    Console.Error.WriteLine(error);
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

using var loggerFactory = LoggerFactory.Create(builder => builder
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    })
    .AddFilter("NasKit", LogLevel.Warning)
    .SetMinimumLevel(LogLevel.Information));
var logger = loggerFactory.CreateLogger("LatencyLut");

var total = Stopwatch.StartNew();
var space = new Nb201SearchSpace(Nb201NetworkOptions.Cifar10);
var generator = new Generator(options.Seed);
var architectures = new List<Nb201Cell>();
var networks = new List<Module<Tensor, Tensor>>();
for (var i = 0; i < options.Count; i++)
{
    var architecture = space.Sample(generator);
    architectures.Add(architecture);
    networks.Add(space.Build(architecture, new Generator(options.Seed + 1 + i)));
}

int[] inputShape = space.GetInputShape(architectures[0]);
var profiler = new LatencyProfiler(
    new LatencyProfilerOptions { WarmupRuns = options.Warmup, Repeats = options.Repeats, Threads = options.Threads, BatchSize = options.Batch },
    loggerFactory.CreateLogger<LatencyProfiler>());

try
{
    // 1. The LUT: every unique layer signature of the sampled networks, timed in isolation, in interleaved rounds.
    var lutWatch = Stopwatch.StartNew();
    var table = profiler.BuildTable(networks, inputShape, progress: new LogProgress(logger), cancellationToken: cancellation.Token);
    lutWatch.Stop();

    // 2. Ground truth: every network end to end, interleaved so drifts of the machine touch all networks alike.
    var e2eWatch = Stopwatch.StartNew();
    var measured = profiler.MeasureEndToEnd(networks, inputShape, new LogProgress(logger), cancellation.Token);
    e2eWatch.Stop();

    // 3. Predictions: the sum of each network's table entries.
    var predictor = new LatencyPredictor(table, batchSize: options.Batch);
    var predicted = networks.Select(n => predictor.Predict(n, inputShape, cancellation.Token).GetMilliseconds()).ToList();
    var accuracy = LatencyPredictionAccuracy.Compute(measured, predicted);

    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(inv, $"NAS-Bench-201 (C=16, N=5, 3x32x32), {options.Count} architectures, seed {options.Seed}, batch {options.Batch}, {options.Threads} thread(s), {options.Warmup} warm-up + {options.Repeats} repeats"));
    Console.WriteLine(string.Create(inv, $"Device: {table.Metadata.ProcessorName}, {table.Metadata.ProcessorCount} processors, {table.Metadata.OperatingSystem}, {table.Metadata.Framework}"));
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"{"#",3}  {"measured ms",11}  {"predicted ms",12}  {"error",7}  architecture"));
    for (var i = 0; i < networks.Count; i++)
    {
        var relative = (predicted[i] - measured[i]) / measured[i];
        Console.WriteLine(string.Create(inv, $"{i,3}  {measured[i],11:F3}  {predicted[i],12:F3}  {relative,7:P1}  {architectures[i]}"));
    }

    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"LUT entries:        {table.Count} (built in {lutWatch.Elapsed.TotalSeconds:F1} s)"));
    Console.WriteLine(string.Create(inv, $"End-to-end timing:  {e2eWatch.Elapsed.TotalSeconds:F1} s"));
    Console.WriteLine(string.Create(inv, $"Spearman rho:       {accuracy.SpearmanRho:F4}"));
    Console.WriteLine(string.Create(inv, $"Pearson r:          {accuracy.PearsonR:F4}"));
    Console.WriteLine(string.Create(inv, $"MAPE:               {accuracy.MeanAbsolutePercentageError * 100:F2}%"));
    Console.WriteLine(string.Create(inv, $"Mean predicted/measured: {predicted.Zip(measured, (p, m) => p / m).Average():F3}"));
    Console.WriteLine(string.Create(inv, $"Total time:         {total.Elapsed.TotalSeconds:F1} s"));

    if (options.OutputPath is not null)
    {
        table.Save(options.OutputPath);
        Console.WriteLine($"Wrote the latency table to {options.OutputPath}");
    }

    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled.");
    return 1;
}
finally
{
    foreach (var n in networks)
    {
        n.Dispose();
    }
}
