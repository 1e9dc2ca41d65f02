using NasKit.SearchSpace;
using NasKit.SearchSpace.Darts;
using NasKit.SearchSpace.MobileNetV3;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Cli.Commands;

/// <summary>The search spaces the tool knows by name, configured for an input shape and a number of classes.</summary>
internal static class SpaceCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["nb201", "darts", "mobilenetv3"];

    /// <summary>Creates the space, parses the architecture and settles the input shape.</summary>
    /// <exception cref="CliInputException">The space, architecture, input shape or class count is not valid.</exception>
    public static (ISearchSpace Space, Architecture Architecture, int[] Shape) Resolve(string name, string text, int[]? input, int? classes)
    {
        try
        {
            return name switch
            {
                "nb201" => Nb201(text, input ?? [3, 32, 32], classes ?? 10),
                "darts" => Darts(text, input ?? [3, 32, 32], classes ?? 10),
                "mobilenetv3" => MobileNetV3(text, input, classes ?? 1000),
                _ => throw new CliInputException($"unknown search space '{name}'; expected one of {string.Join(", ", Names)}."),
            };
        }
        catch (ArchitectureFormatException e)
        {
            throw new CliInputException($"invalid {name} architecture at character {e.Position}: {e.Reason ?? e.Message}");
        }
        catch (SearchSpaceValidationException e)
        {
            throw new CliInputException($"invalid {name} architecture: {string.Join("; ", e.Errors.Select(x => x.Message))}");
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"impossible configuration for {name}: {e.Message}");
        }
    }

    private static (ISearchSpace, Architecture, int[]) Nb201(string text, int[] input, int classes)
    {
        RequireSquare("nb201", input);
        var space = new Nb201SearchSpace(Nb201NetworkOptions.Cifar10 with { InputChannels = input[0], InputSize = input[1], Classes = classes });
        return (space, space.Parse(text), input);
    }

    private static (ISearchSpace, Architecture, int[]) Darts(string text, int[] input, int classes)
    {
        RequireSquare("darts", input);
        var space = new DartsSearchSpace(new DartsNetworkOptions { InputChannels = input[0], InputSize = input[1], Classes = classes });
        return (space, space.Parse(text), input);
    }

    private static (ISearchSpace, Architecture, int[]) MobileNetV3(string text, int[]? input, int classes)
    {
        if (input is not null)
        {
            RequireSquare("mobilenetv3", input);
        }

        // Accept any resolution the user asks for (the network is fully convolutional up to global pooling), in addition to the
        // space's default choices, so that --input and the architecture's r= agree.
        var options = new MobileNetV3SpaceOptions { Classes = classes, InputChannels = input?[0] ?? 3 };
        if (input is not null && !options.Resolutions.Contains(input[1]))
        {
            options.Resolutions = [.. options.Resolutions, input[1]];
            options.Resolutions = [.. options.Resolutions.Order()];
        }

        var space = new MobileNetV3SearchSpace(options);
        var architecture = space.Parse(text);
        var shape = space.GetInputShape(architecture);
        if (input is not null && shape[1] != input[1])
        {
            throw new CliInputException($"--input {string.Join('x', input)} disagrees with the architecture's resolution {shape[1]}; pass --input {input[0]}x{shape[1]}x{shape[1]} or change r= in the architecture.");
        }

        return (space, architecture, shape);
    }

    private static void RequireSquare(string space, int[] input)
    {
        if (input[1] != input[2])
        {
            throw new CliInputException($"the {space} networks take square inputs, but --input is {string.Join('x', input)}.");
        }
    }
}
