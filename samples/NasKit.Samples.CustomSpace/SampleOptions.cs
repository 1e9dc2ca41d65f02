using System.Globalization;
using NasKit.Samples.Shared;

namespace NasKit.Samples.CustomSpace;

/// <summary>The command line of the sample; the defaults finish in about a minute on two cores.</summary>
internal sealed record SampleOptions
{
    public int Samples { get; init; } = 4;

    public int Epochs { get; init; } = 2;

    public int TrainSamples { get; init; } = 5000;

    public int ScreenSteps { get; init; } = 30;

    public long Seed { get; init; }

    public string DataFolder { get; init; } = NasKit.Data.Mnist.FashionMnist.DefaultFolder;

    public int Threads { get; init; } = Environment.ProcessorCount;

    public const string Usage = """
        Samples architectures from a user-defined Fashion-MNIST search space, screens each with a few training steps,
        trains the best one and prints its test accuracy.

        Options:
          --samples N         architectures to sample (default 4)
          --epochs N          training epochs of the chosen architecture (default 2)
          --train-samples N   training images, a seeded subset of the 60,000 (default 5000)
          --screen-steps N    mini-batches of 64 used to screen each sample (default 30)
          --seed N            seed of sampling, initialisation and shuffling (default 0)
          --data DIR          folder with the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
          --threads N         kernel threads (default: all cores)
          --help              show this text
        """;

    /// <summary>Parses the arguments; returns null and an error message (empty for --help) when they are invalid.</summary>
    public static SampleOptions? Parse(string[] args, out string? error) =>
        OptionParser.Parse(
            args,
            new SampleOptions(),
            static (options, name, value) => name switch
            {
                "--samples" => options with { Samples = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--epochs" => options with { Epochs = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--train-samples" => options with { TrainSamples = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--screen-steps" => options with { ScreenSteps = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--seed" => options with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
                "--data" => options with { DataFolder = value },
                "--threads" => options with { Threads = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            },
            out error);

    private static int Positive(string name, int value) =>
        value > 0 ? value : throw new ArgumentException($"Option {name} must be positive, but got {value}.");
}
