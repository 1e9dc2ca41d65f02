using System.Globalization;
using NasKit.Samples.Shared;

namespace NasKit.Samples.FashionMnist;

/// <summary>The command line of the sample, with the recipe of issue #2 as defaults.</summary>
internal sealed record SampleOptions
{
    public int Epochs { get; init; } = 5;

    public string DataFolder { get; init; } = NasKit.Data.Mnist.FashionMnist.DefaultFolder;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 0.05;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 5e-4;

    public long Seed { get; init; }

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Gets the number of training images to use (a seeded subset), or null for all 60,000.</summary>
    public int? TrainSamples { get; init; }

    public const string Usage = """
        Trains the fmnist-cnn network on Fashion-MNIST and prints {"epochs":E,"test_accuracy":A,"train_seconds":S}.

        Options:
          --epochs N          training epochs (default 5)
          --data DIR          folder with the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist,
                              installed by Debian's dataset-fashion-mnist package)
          --batch-size N      mini-batch size (default 128)
          --lr X              initial learning rate, annealed to 0 by a per-step cosine schedule (default 0.05)
          --momentum X        Nesterov momentum (default 0.9)
          --weight-decay X    weight decay (default 5e-4)
          --seed N            seed of initialisation and shuffling (default 0)
          --threads N         kernel threads (default: all cores)
          --train-samples N   train on a seeded subset of N images (default: all)
          --help              show this text
        """;

    /// <summary>Parses the arguments; returns null and an error message when they are invalid.</summary>
    public static SampleOptions? Parse(string[] args, out string? error) =>
        OptionParser.Parse(
            args,
            new SampleOptions(),
            static (options, name, value) => name switch
            {
                "--epochs" => options with { Epochs = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--data" => options with { DataFolder = value },
                "--batch-size" => options with { BatchSize = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--lr" => options with { LearningRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--momentum" => options with { Momentum = double.Parse(value, CultureInfo.InvariantCulture) },
                "--weight-decay" => options with { WeightDecay = double.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--train-samples" => options with { TrainSamples = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            },
            out error);

    private static int Positive(string name, int value) =>
        value > 0 ? value : throw new ArgumentException($"Option {name} must be positive, but got {value}.");
}
