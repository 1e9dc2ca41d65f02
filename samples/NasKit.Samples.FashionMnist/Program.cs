// Trains the fmnist-cnn network (shared/perf/README.md) on Fashion-MNIST with NasKit.Tensors.
// Recipe (issue #2): inputs standardised with the training set's mean and std, no augmentation, batch 128, SGD with Nesterov
// momentum 0.9, learning rate 0.05 annealed to 0 by a per-step cosine schedule, weight decay 5e-4.
// Progress goes to stderr through ILogger; the last line on stdout is {"epochs":E,"test_accuracy":A,"train_seconds":S}.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NasKit.Data;
using NasKit.Data.Mnist;
using NasKit.Data.Transforms;
using NasKit.Samples.FashionMnist;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;
using NasKit.Tensors.Optim.Schedulers;

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

var loggerFactory = LoggerFactory.Create(builder => builder
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace) // progress to stderr; stdout carries only the result
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    })
    .SetMinimumLevel(LogLevel.Information));
var logger = loggerFactory.CreateLogger("FashionMnist");

InMemoryDataset train, test;
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

var statistics = ChannelStatistics.Compute(train);
Standardization.ApplyInPlace(train, statistics);
Standardization.ApplyInPlace(test, statistics);
float mean = statistics.Mean[0], std = statistics.Std[0];
logger.DataLoaded(train.Count, test.Count, options.DataFolder, mean, std);

IDataset trainSet = train;
if (options.TrainSamples is { } n && n < train.Count)
{
    trainSet = train.Subset(new Generator(options.Seed).Permutation(train.Count).Take(n).ToArray());
}

TensorEngine.ThreadCount = options.Threads;
var generator = new Generator(options.Seed);
using var model = new FashionMnistCnn(generator);
using var optimizer = new Sgd(model.Parameters(), new SgdOptions
{
    LearningRate = options.LearningRate,
    Momentum = options.Momentum,
    Nesterov = true,
    WeightDecay = options.WeightDecay,
});
var loader = new DataLoader(trainSet, options.BatchSize, shuffle: true, seed: options.Seed);
var schedule = new CosineAnnealingLR(optimizer, totalSteps: options.Epochs * loader.BatchesPerEpoch);
var parameterCount = model.ParameterCount();
int batchesPerEpoch = loader.BatchesPerEpoch, threads = TensorEngine.ThreadCount;
logger.TrainingStarted(parameterCount, options.Epochs, batchesPerEpoch, options.BatchSize, threads);

var trainClock = new Stopwatch();
var completedEpochs = 0;
var testAccuracy = double.NaN;
for (var epoch = 0; epoch < options.Epochs && !cancellation.IsCancellationRequested; epoch++)
{
    model.Train();
    double lossSum = 0;
    long correct = 0, seen = 0;
    trainClock.Start();
    foreach (var batch in loader.GetEpoch(epoch))
    {
        using (batch)
        using (TensorScope.Begin())
        {
            optimizer.ZeroGrad();
            var logits = model.Call(batch.Inputs);
            var loss = Functional.CrossEntropy(logits, batch.Targets);
            loss.Backward();
            optimizer.Step();
            schedule.Step();
            lossSum += loss.Item() * batch.Targets.Length;
            correct += CountCorrect(logits, batch.Targets);
            seen += batch.Targets.Length;
        }

        if (cancellation.IsCancellationRequested)
        {
            break;
        }
    }

    trainClock.Stop();
    if (cancellation.IsCancellationRequested)
    {
        break;
    }

    completedEpochs++;
    testAccuracy = Evaluate(model, test);
    var learningRate = optimizer.Groups[0].LearningRate;
    var seconds = trainClock.Elapsed.TotalSeconds;
    logger.EpochCompleted(epoch + 1, options.Epochs, lossSum / seen, (double)correct / seen, testAccuracy, learningRate, seconds);
}

if (cancellation.IsCancellationRequested)
{
    logger.Cancelled(completedEpochs);
}

loggerFactory.Dispose(); // flush the log before the result line
Console.WriteLine(JsonSerializer.Serialize(new SampleResult(completedEpochs, Math.Round(testAccuracy, 4), Math.Round(trainClock.Elapsed.TotalSeconds, 1))));
return cancellation.IsCancellationRequested ? 130 : 0;

static double Evaluate(Module<Tensor, Tensor> model, IDataset data)
{
    model.Eval();
    long correct = 0;
    using (Autograd.NoGrad())
    {
        foreach (var batch in new DataLoader(data, batchSize: 500).GetEpoch(0))
        {
            using (batch)
            using (TensorScope.Begin())
            {
                correct += CountCorrect(model.Call(batch.Inputs), batch.Targets);
            }
        }
    }

    model.Train();
    return (double)correct / data.Count;
}

static long CountCorrect(Tensor logits, ReadOnlySpan<int> targets)
{
    using var predicted = logits.ArgMax(1);
    var values = predicted.ToArray();
    long correct = 0;
    for (var i = 0; i < values.Length; i++)
    {
        if ((int)values[i] == targets[i])
        {
            correct++;
        }
    }

    return correct;
}

/// <summary>The JSON result line.</summary>
internal sealed record SampleResult(
    [property: System.Text.Json.Serialization.JsonPropertyName("epochs")] int Epochs,
    [property: System.Text.Json.Serialization.JsonPropertyName("test_accuracy")] double TestAccuracy,
    [property: System.Text.Json.Serialization.JsonPropertyName("train_seconds")] double TrainSeconds);
