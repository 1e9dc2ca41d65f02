using System.CommandLine;
using System.Globalization;
using NasKit.Objectives;
using NasKit.Optimizers;
using NasKit.Storage.Sqlite;

namespace NasKit.Cli.Commands;

/// <summary><c>naskit study show --store study.db [--study NAME]</c>: prints a stored study's trials and its best trial or Pareto front.</summary>
internal static class StudyCommand
{
    public static Command Create(TextWriter output)
    {
        var store = new Option<string>("--store") { Description = "The SQLite file of the study.", Required = true };
        var study = new Option<string>("--study") { Description = "The study's name in the store.", DefaultValueFactory = _ => "naskit" };
        var show = new Command("show", "Print a study's trials and its best trial or Pareto front.") { store, study };
        show.SetAction(parse =>
        {
            Show(output, parse.GetRequiredValue(store), parse.GetRequiredValue(study));
            return ExitCodes.Success;
        });
        return new Command("study", "Inspect stored studies.") { show };
    }

    internal static void Show(TextWriter output, string path, string name)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"no study store at '{path}'.");
        }

        SqliteTrialStore sqlite;
        try
        {
            sqlite = new SqliteTrialStore(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new CliInputException($"cannot open the study store '{path}': {e.Message}");
        }

        using (sqlite)
        {
            var attributes = sqlite.GetStudyAttributes(name) ?? throw new CliInputException($"the store '{path}' has no study '{name}'.");
            var objectives = attributes.GetValueOrDefault("objectives", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Objective.Parse).ToList();
            var constraints = attributes.GetValueOrDefault("constraints", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Constraint.Parse).ToList();
            var trials = sqlite.GetTrials(name);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"study {name}: space {attributes.GetValueOrDefault("space")}, strategy {attributes.GetValueOrDefault("strategy")}, seed {attributes.GetValueOrDefault("seed")}, objectives {attributes.GetValueOrDefault("objectives")}"));
            foreach (var t in trials)
            {
                var values = t.State == TrialState.Complete
                    ? string.Join(", ", t.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G6}")))
                    : t.FailureReason ?? string.Empty;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t.Number,5} {t.State,-8} {values}  {t.Architecture}"));
            }

            var complete = trials.Where(t => t.State == TrialState.Complete).ToList();
            var front = NasKit.Objectives.Pareto.ParetoFront.Of(complete, t => t.Metrics, objectives, constraints);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pareto front ({front.Count} of {complete.Count} complete trials): {string.Join(", ", front.Select(t => t.Number))}"));
        }
    }
}
