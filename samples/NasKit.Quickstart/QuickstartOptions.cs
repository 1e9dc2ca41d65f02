using System.Globalization;
using NasKit.Samples.Shared;

namespace NasKit.Quickstart;

/// <summary>The quickstart's command line; the defaults are the measured settings documented in README.md.</summary>
internal sealed record QuickstartOptions
{
    public int Trials { get; init; } = 34;

    public int Epochs { get; init; } = 2;

    public int TrainSamples { get; init; } = 10000;

    public int BatchSize { get; init; } = 32;

    public double LearningRate { get; init; } = 0.05;

    public int Channels { get; init; } = 8;

    public int Cells { get; init; } = 1;

    public string Strategy { get; init; } = "nsga2";

    public int Population { get; init; } = 8;

    public long Seed { get; init; }

    public int Threads { get; init; } = Environment.ProcessorCount;

    public string DataFolder { get; init; } = NasKit.Data.Mnist.FashionMnist.DefaultFolder;

    public const string Usage = """
        Searches a reduced NAS-Bench-201 space on Fashion-MNIST for the Pareto front of validation accuracy vs MACs.
        Progress goes to stderr; stdout gets the Pareto front as a table, then one JSON line:
        {"trials":T,"best_test_accuracy":A,"pareto":[{"arch":...,"accuracy":...,"macs":...,"test_accuracy":...},...],"elapsed_seconds":S}

        Options:
          --trials N          trial budget of the study (default 34)
          --epochs N          training epochs per trial (default 2)
          --train-samples N   training images per trial, a seeded subset of the 54,000-image training split (default 10000)
          --batch-size N      training batch size (default 32)
          --lr X              initial SGD learning rate, cosine-annealed to 0 over the trial (default 0.05)
          --channels N        NB201 width C (default 8)
          --cells N           NB201 cells per stage N (default 1)
          --strategy NAME     nsga2 or random (default nsga2)
          --population N      NSGA-II population size; the first N trials are uniform samples (default 8)
          --seed N            seed of the split, sampling, initialisation and shuffling (default 0)
          --threads N         kernel threads (default: all cores)
          --data DIR          folder with the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist,
                              installed by Debian's dataset-fashion-mnist package)
          --help              show this text
        """;

    /// <summary>Parses the arguments; returns null and an error message (empty for --help) when they are invalid.</summary>
    public static QuickstartOptions? Parse(string[] args, out string? error) =>
        OptionParser.Parse(
            args,
            new QuickstartOptions(),
            static (options, name, value) => name switch
            {
                "--trials" => options with { Trials = Positive(name, value) },
                "--epochs" => options with { Epochs = Positive(name, value) },
                "--train-samples" => options with { TrainSamples = Positive(name, value) },
                "--batch-size" => options with { BatchSize = Positive(name, value) },
                "--lr" => options with { LearningRate = PositiveReal(name, value) },
                "--channels" => options with { Channels = Positive(name, value) },
                "--cells" => options with { Cells = Positive(name, value) },
                "--strategy" => options with { Strategy = value is "nsga2" or "random" ? value : throw new ArgumentException($"Option --strategy must be nsga2 or random, but got '{value}'.") },
                "--population" => options with { Population = AtLeast(name, value, 2) },
                "--seed" => options with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = Positive(name, value) },
                "--data" => options with { DataFolder = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            },
            out error);

    private static int Positive(string name, string value) => AtLeast(name, value, 1);

    private static double PositiveReal(string name, string text)
    {
        var value = double.Parse(text, CultureInfo.InvariantCulture);
        return value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"Option {name} must be a positive number, but got {text}.");
    }

    private static int AtLeast(string name, string text, int minimum)
    {
        var value = int.Parse(text, CultureInfo.InvariantCulture);
        return value >= minimum ? value : throw new ArgumentException($"Option {name} must be at least {minimum}, but got {value}.");
    }
}
