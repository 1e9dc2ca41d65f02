using NasKit.Optimizers.Strategies;

namespace NasKit.Cli.Commands;

/// <summary>The multi-trial strategies the tool knows by name.</summary>
internal static class StrategyCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["random", "grid", "rea", "ls", "nsga2", "tpe", "bananas"];

    public static ISearchStrategy Create(string name) => name switch
    {
        "random" => new RandomSearch(),
        "grid" => new GridSearch(),
        "rea" => new RegularizedEvolution(),
        "ls" => new LocalSearch(),
        "nsga2" => new Nsga2(),
        "tpe" => new Tpe(),
        "bananas" => new Bananas(),
        _ => throw new CliInputException($"unknown strategy '{name}'; expected one of {string.Join(", ", Names)}."),
    };
}
