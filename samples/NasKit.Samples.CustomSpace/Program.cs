// Defines a search space for the user's own data (Fashion-MNIST) with NasKit's custom-space API, samples a few architectures with a
// seed, screens each with a few training steps on a held-out validation slice, then trains the best one and prints its test accuracy.
using System.Diagnostics;
using System.Globalization;
using NasKit.Data;
using NasKit.Data.Mnist;
using NasKit.Data.Transforms;
using NasKit.Samples.CustomSpace;
using NasKit.SearchSpace.Custom;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;
using NasKit.Tensors.Optim.Schedulers;

const int ScreenBatch = 64;
const int ValidationImages = 1000;
const double LearningRate = 3e-3;

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
    return 2;
}

TensorEngine.ThreadCount = options.Threads;
var statistics = ChannelStatistics.Compute(train);
Standardization.ApplyInPlace(train, statistics);
Standardization.ApplyInPlace(test, statistics);

// A seeded split of the training images: the first TrainSamples for training, the next ValidationImages for screening.
var order = new Generator(options.Seed).Permutation(train.Count);
var trainCount = Math.Min(options.TrainSamples, train.Count - ValidationImages);
var trainSet = train.Subset(order.AsSpan(0, trainCount));
var validationSet = train.Subset(order.AsSpan(trainCount, ValidationImages));

var clock = Stopwatch.StartNew();
var space = FashionMnistSpace.Create();
Console.WriteLine($"Search space '{space.Name}': {space.Size} architectures over the labels {string.Join(", ", space.Labels)} (explored in {clock.ElapsedMilliseconds} ms).");

// Sample with a seed and screen each architecture: a few Adam steps, then accuracy on the validation slice.
var sampler = new Generator(options.Seed);
var candidates = new List<(CustomArchitecture Architecture, long Parameters, double Accuracy)>();
for (var i = 0; i < options.Samples; i++)
{
    var architecture = space.Sample(sampler);
    if (candidates.Any(c => c.Architecture == architecture))
    {
        continue; // already screened
    }

    using var network = space.Build(architecture, new Generator(options.Seed + i));
    var parameters = network.ParameterCount();
    Train(network, trainSet, epochs: 1, maxSteps: options.ScreenSteps, ScreenBatch, options.Seed);
    var accuracy = Evaluate(network, validationSet);
    candidates.Add((architecture, parameters, accuracy));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sample {i + 1}: {architecture}  ({parameters:N0} parameters, screening accuracy {accuracy:P1})"));
}

var best = candidates.MaxBy(c => c.Accuracy);
Console.WriteLine($"Best-looking: {best.Architecture}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Training it for {options.Epochs} epoch(s) on {trainSet.Count} images ..."));
using (var network = space.Build(best.Architecture, new Generator(options.Seed)))
{
    Train(network, trainSet, options.Epochs, maxSteps: int.MaxValue, batchSize: 128, options.Seed);
    var accuracy = Evaluate(network, test);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test accuracy of {best.Architecture}: {accuracy:P2} ({best.Parameters:N0} parameters, {clock.Elapsed.TotalSeconds:F1} s in all)"));
}

return 0;

static void Train(Module<Tensor, Tensor> network, IDataset data, int epochs, int maxSteps, int batchSize, long seed)
{
    var loader = new DataLoader(data, batchSize, shuffle: true, seed: seed);
    var totalSteps = Math.Min(maxSteps, epochs * loader.BatchesPerEpoch);
    using var optimizer = new Adam(network.Parameters(), new AdamOptions { LearningRate = LearningRate });
    var schedule = new CosineAnnealingLR(optimizer, totalSteps: totalSteps);
    network.Train();
    var step = 0;
    for (var epoch = 0; epoch < epochs && step < totalSteps; epoch++)
    {
        foreach (var batch in loader.GetEpoch(epoch))
        {
            using (batch)
            using (TensorScope.Begin())
            {
                optimizer.ZeroGrad();
                var loss = Functional.CrossEntropy(network.Call(batch.Inputs), batch.Targets);
                loss.Backward();
                optimizer.Step();
                schedule.Step();
            }

            if (++step >= totalSteps)
            {
                break;
            }
        }
    }
}

static double Evaluate(Module<Tensor, Tensor> network, IDataset data)
{
    network.Eval();
    long correct = 0;
    using (Autograd.NoGrad())
    {
        foreach (var batch in new DataLoader(data, batchSize: 500).GetEpoch(0))
        {
            using (batch)
            using (TensorScope.Begin())
            {
                using var predicted = network.Call(batch.Inputs).ArgMax(1);
                var values = predicted.ToArray();
                for (var i = 0; i < values.Length; i++)
                {
                    correct += (int)values[i] == batch.Targets[i] ? 1 : 0;
                }
            }
        }
    }

    network.Train();
    return (double)correct / data.Count;
}
