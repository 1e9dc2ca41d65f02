using System.Globalization;
using NasKit.Samples.Shared;

namespace NasKit.Samples.LatencyLut;

/// <summary>The command line of the sample.</summary>
internal sealed record SampleOptions
{
    public int Count { get; init; } = 50;

    public long Seed { get; init; }

    public int Threads { get; init; } = 1;

    public int Repeats { get; init; } = 21;

    public int Warmup { get; init; } = 3;

    public int Batch { get; init; } = 1;

    public string? OutputPath { get; init; }

    public const string Usage = """
        Samples NAS-Bench-201 networks (CIFAR-10 setting: 16 channels, 5 cells per stage, 3x32x32 input), builds a per-layer latency
        look-up table from their layers, measures every network end to end (interleaved, median of repeats), predicts each from the
        table and prints the Spearman rank correlation and the mean absolute percentage error (MAPE).

        Options:
          --count N      networks to sample (default 50)
          --seed N       seed of architecture sampling and weight initialisation (default 0)
          --threads N    kernel threads during measurement (default 1)
          --repeats N    timed runs per layer and per network; medians are reported (default 21)
          --warmup N     untimed runs before each measurement (default 3)
          --batch N      images per inference (default 1)
          --out PATH     write the latency table as JSON (format: docs/latency-lut.md)
          --help         show this text
        """;

    /// <summary>Parses the arguments; returns null and an error message when they are invalid (empty message: help was asked for).</summary>
    public static SampleOptions? Parse(string[] args, out string? error) =>
        OptionParser.Parse(
            args,
            new SampleOptions(),
            static (options, name, value) => name switch
            {
                "--count" => options with { Count = AtLeast(name, int.Parse(value, CultureInfo.InvariantCulture), 2) },
                "--seed" => options with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = AtLeast(name, int.Parse(value, CultureInfo.InvariantCulture), 1) },
                "--repeats" => options with { Repeats = AtLeast(name, int.Parse(value, CultureInfo.InvariantCulture), 1) },
                "--warmup" => options with { Warmup = AtLeast(name, int.Parse(value, CultureInfo.InvariantCulture), 0) },
                "--batch" => options with { Batch = AtLeast(name, int.Parse(value, CultureInfo.InvariantCulture), 1) },
                "--out" => options with { OutputPath = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            },
            out error);

    private static int AtLeast(string name, int value, int minimum) =>
        value >= minimum ? value : throw new ArgumentException($"Option {name} must be at least {minimum}, but got {value}.");
}
