using System.Globalization;
using NasKit.Objectives;
using NasKit.Optimizers;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace.Nb201;
using NasKit.Storage.Sqlite;

namespace NasKit.Storage.Sqlite.CrashWorker;

/// <summary>
/// Runs one NB201 study (regularized evolution, one objective "score") on a SQLite trial store until its budget. Every trial sleeps
/// 50-100 ms and scores a deterministic function of its architecture. After each trial the store has acknowledged, it prints
/// <c>complete NUMBER SCORE</c> (or <c>ended NUMBER STATE</c>) on stdout, so the test that kills it knows what was committed.
/// </summary>
/// <remarks>Usage: <c>dotnet NasKit.Storage.Sqlite.CrashWorker.dll DB_PATH BUDGET SEED</c>. Exit code 0 when the budget is reached.</remarks>
internal static class Program
{
    public const string StudyName = "crash";
    public const string Metric = "score";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("usage: NasKit.Storage.Sqlite.CrashWorker DB_PATH BUDGET SEED").ConfigureAwait(false);
            return 2;
        }

        var budget = int.Parse(args[1], CultureInfo.InvariantCulture);
        var seed = long.Parse(args[2], CultureInfo.InvariantCulture);
        using var store = new SqliteTrialStore(args[0]);
        var study = new Study(StudyName, new Nb201SearchSpace(), new RegularizedEvolution(populationSize: 10, sampleSize: 3), [Objective.Maximize(Metric)], store,
            options: new StudyOptions { Seed = seed, Lease = TimeSpan.FromSeconds(1), HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
        var result = await study.OptimizeAsync(Evaluate, budget, progress: new ConsoleProgress()).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"finished {result.TrialCount} stopped={result.Stopped}"));
        return result.Stopped ? 1 : 0;
    }

    /// <summary>Scores an architecture text form in [0, 1) with FNV-1a, the same in every process.</summary>
    public static double Score(string architecture)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in architecture)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private static async ValueTask<IReadOnlyDictionary<string, double>> Evaluate(Trial trial, CancellationToken cancellationToken)
    {
        var text = trial.Architecture.ToString();
        var score = Score(text);
        await Task.Delay(TimeSpan.FromMilliseconds(50 + (score * 50)), cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, double> { [Metric] = score };
    }

    private sealed class ConsoleProgress : IProgress<FrozenTrial>
    {
        public void Report(FrozenTrial value) =>
            Console.WriteLine(value.State == TrialState.Complete
                ? string.Create(CultureInfo.InvariantCulture, $"complete {value.Number} {value.GetMetric(Metric):R}")
                : string.Create(CultureInfo.InvariantCulture, $"ended {value.Number} {value.State}"));
    }
}
