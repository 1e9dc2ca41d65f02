using System.CommandLine;
using NasKit.Cli.Commands;

namespace NasKit.Cli;

/// <summary>Builds the command tree and runs it, mapping bad input to exit code 2 with a one-line error.</summary>
internal static class NaskitApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("naskit: neural architecture search for .NET.");
        root.Subcommands.Add(CostCommand.Create(output));
        root.Subcommands.Add(SearchCommand.Create(output, error));
        root.Subcommands.Add(StudyCommand.Create(output));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"naskit: {OneLine(parse.Errors[0].Message)}");
            return ExitCodes.BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliInputException e)
        {
            error.WriteLine($"naskit: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
