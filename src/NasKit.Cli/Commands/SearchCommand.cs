using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NasKit.Data;
using NasKit.Objectives;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers;
using NasKit.Optimizers.OneShot;
using NasKit.Optimizers.Storage;
using NasKit.SearchSpace.Nb201;
using NasKit.Storage.Sqlite;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit search --space nb201 (--table FILE.csv | --dataset fashion-mnist [--data DIR]) --strategy NAME --objective COL:max|min
/// [--objective ...] [--report COL ...] [--constraint EXPR ...] --trials N --seed S [--store study.db] [--study NAME] [--json]</c>:
/// a multi-trial search over NAS-Bench-201, evaluated by table look-up or by training on Fashion-MNIST; with a one-shot strategy
/// (<c>darts|darts2|gdas|spos|zo-darts|zo-darts+</c>) and <c>--dataset</c>, a supernet search (<see cref="OneShotSearchRunner"/>).
/// </summary>
internal static class SearchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var space = new Option<string>("--space") { Description = "The search space (nb201).", Required = true };
        space.AcceptOnlyFromAmong("nb201");
        var table = new Option<string?>("--table") { Description = "Evaluate by look-up in a benchmark CSV keyed by the arch column (NAS-Bench-201's format)." };
        var dataset = new Option<string?>("--dataset") { Description = "Evaluate by training on a dataset (fashion-mnist)." };
        var data = new Option<string>("--data") { Description = "The folder of the dataset's files.", DefaultValueFactory = _ => NasKit.Data.Mnist.FashionMnist.DefaultFolder };
        var strategy = new Option<string>("--strategy")
        {
            Description = "The strategy: multi-trial " + string.Join(", ", StrategyCatalog.Names) + "; one-shot (--dataset) " + string.Join(", ", OneShotMethods.Names) + ".",
            Required = true,
        };
        strategy.AcceptOnlyFromAmong([.. StrategyCatalog.Names, .. OneShotMethods.Names]);
        var objectives = new Option<string[]>("--objective") { Description = "An objective COLUMN_OR_METRIC:max|min (repeat for several; multi-trial strategies).", AllowMultipleArgumentsPerToken = false };
        var reports = new Option<string[]>("--report") { Description = "Another column or metric to report for each trial (repeatable)." };
        var constraints = new Option<string[]>("--constraint") { Description = "A constraint such as flops_c10<=50 (repeatable; feasible when it holds)." };
        var trials = new Option<int?>("--trials") { Description = "The trial budget of the study (multi-trial strategies)." };
        var seed = new Option<long>("--seed") { Description = "The seed.", DefaultValueFactory = _ => 0 };
        var store = new Option<string?>("--store") { Description = "A SQLite file that keeps the study (resumable, shareable by several workers); default: in memory." };
        var study = new Option<string?>("--study") { Description = "The study's name in the store (default: naskit; one-shot: oneshot-<strategy>-<seed>)." };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs per trial (default 1), or search epochs of a one-shot strategy (default 50)." };
        var trainSamples = new Option<int?>("--train-samples") { Description = "A seeded subset of the training images: per trial (default 5000), or the one-shot search data (default all)." };
        var channels = new Option<int?>("--channels") { Description = "NB201 network width C (--dataset; default 8, one-shot 16)." };
        var cells = new Option<int?>("--cells") { Description = "NB201 cells per stage N (--dataset; default 1, one-shot 3)." };
        var batch = new Option<int>("--batch") { Description = "The batch size of a one-shot search.", DefaultValueFactory = _ => 64 };
        var retrainEpochs = new Option<int?>("--retrain-epochs") { Description = "After a one-shot search, train the found cell from scratch for this many epochs and measure its test accuracy." };
        var retrainSamples = new Option<int?>("--retrain-samples") { Description = "A seeded subset of the training images for --retrain-epochs (default all)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A one-shot search's checkpoint file, written every epoch; an existing one is resumed." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line (multi-trial: strategy, seed, trials, best, pareto; one-shot: strategy, arch, search_seconds, epochs, retrain_test_accuracy)." };
        var command = new Command("search", "Run an architecture search (multi-trial, or one-shot on a supernet) and print the best architecture(s).")
        {
            space, table, dataset, data, strategy, objectives, reports, constraints, trials, seed, store, study, epochs, trainSamples, channels, cells, batch,
            retrainEpochs, retrainSamples, checkpoint, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(strategy);
            if (OneShotMethods.Names.Contains(name))
            {
                var oneShot = new OneShotRequest(
                    parse.GetValue(table),
                    parse.GetValue(dataset),
                    parse.GetRequiredValue(data),
                    OneShotMethods.Parse(name),
                    parse.GetValue(epochs) ?? 50,
                    parse.GetValue(cells) ?? 3,
                    parse.GetValue(channels) ?? 16,
                    parse.GetValue(batch),
                    parse.GetValue(seed),
                    parse.GetValue(trainSamples),
                    parse.GetValue(retrainEpochs),
                    parse.GetValue(retrainSamples),
                    parse.GetValue(store),
                    parse.GetValue(study),
                    parse.GetValue(checkpoint));
                return await OneShotSearchRunner.RunAsync(oneShot, parse.GetValue(json), output, error, cancellationToken).ConfigureAwait(false);
            }

            var request = new SearchRequest(
                parse.GetValue(table),
                parse.GetValue(dataset),
                parse.GetRequiredValue(data),
                name,
                [.. (parse.GetValue(objectives) ?? []).Select(ParseObjective)],
                parse.GetValue(reports) ?? [],
                [.. (parse.GetValue(constraints) ?? []).Select(ParseConstraint)],
                parse.GetValue(trials) ?? throw new CliInputException($"--trials is required for the multi-trial strategy '{name}'."),
                parse.GetValue(seed),
                parse.GetValue(store),
                parse.GetValue(study) ?? "naskit",
                parse.GetValue(epochs) ?? 1,
                parse.GetValue(trainSamples) ?? 5000,
                parse.GetValue(channels) ?? 8,
                parse.GetValue(cells) ?? 1);
            return await RunAsync(request, parse.GetValue(json), output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(SearchRequest request, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (request.Objectives.Count == 0)
        {
            throw new CliInputException($"--objective is required for the multi-trial strategy '{request.Strategy}' (for example --objective c10_valid:max).");
        }

        if (request.Trials <= 0)
        {
            throw new CliInputException($"--trials must be positive, but got {request.Trials}.");
        }

        if ((request.Table is null) == (request.Dataset is null))
        {
            throw new CliInputException("give exactly one of --table FILE.csv and --dataset fashion-mnist.");
        }

        var (space, evaluator) = request.Table is not null ? TableEvaluator(request) : DatasetEvaluator(request);
        var needed = request.Objectives.Select(o => o.Name).Concat(request.Constraints.Select(c => c.MetricName)).Concat(request.Reports).Distinct(StringComparer.Ordinal);
        var missing = needed.Where(n => !evaluator.MetricNames.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new CliInputException($"unknown column or metric {string.Join(", ", missing)}; available: {string.Join(", ", evaluator.MetricNames)}.");
        }

        using var sqlite = request.Store is null ? null : OpenStore(request.Store);
        ITrialStore store = (ITrialStore?)sqlite ?? new InMemoryTrialStore();
        Study study;
        try
        {
            study = new Study(request.Study, space, StrategyCatalog.Create(request.Strategy), request.Objectives, store, request.Constraints,
                options: new StudyOptions { Seed = request.Seed });
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(e.Message);
        }

        var started = DateTimeOffset.UtcNow;
        var progress = new SynchronousProgress<FrozenTrial>(t => error.WriteLine(FormatProgress(t, request)));
        var result = await study.OptimizeAsync(evaluator, request.Trials, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        var elapsed = DateTimeOffset.UtcNow - started;
        StudyReport.Write(output, study, result, request.Seed, json, elapsed, request.Reports);
        return ExitCodes.Success;
    }

    /// <summary>Opens a SQLite trial store, turning file problems into bad-input errors.</summary>
    internal static SqliteTrialStore OpenStore(string path)
    {
        try
        {
            return new SqliteTrialStore(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CliInputException($"cannot open the study store '{path}': {e.Message}");
        }
    }

    private static (Nb201SearchSpace Space, IEvaluator Evaluator) TableEvaluator(SearchRequest request)
    {
        TabularBenchmark benchmark;
        try
        {
            benchmark = TabularBenchmark.Load(request.Table!);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or KeyNotFoundException)
        {
            throw new CliInputException($"cannot read the table '{request.Table}': {e.Message}");
        }

        var columns = request.Objectives.Select(o => o.Name).Concat(request.Constraints.Select(c => c.MetricName)).Concat(request.Reports).Distinct(StringComparer.Ordinal).ToList();
        var unknown = columns.Where(c => !benchmark.ContainsColumn(c)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliInputException($"the table has no column {string.Join(", ", unknown)}; its columns are {string.Join(", ", benchmark.Columns)}.");
        }

        try
        {
            return (new Nb201SearchSpace(), new TabularEvaluator(benchmark, columns));
        }
        catch (InvalidDataException e)
        {
            throw new CliInputException(e.Message);
        }
    }

    private static (Nb201SearchSpace Space, IEvaluator Evaluator) DatasetEvaluator(SearchRequest request)
    {
        if (!string.Equals(request.Dataset, "fashion-mnist", StringComparison.Ordinal))
        {
            throw new CliInputException($"unknown dataset '{request.Dataset}'; expected fashion-mnist.");
        }

        var (train, test) = LoadFashionMnist(request.DataFolder);
        var split = NasKit.Data.Splits.DataSplits.TrainValidation(train, 0.1, request.Seed);
        Nb201SearchSpace space;
        TrainingEvaluator evaluator;
        try
        {
            space = new Nb201SearchSpace(Nb201NetworkOptions.Cifar10 with { InputChannels = 1, InputSize = 28, Classes = 10, Channels = request.Channels, CellsPerStage = request.Cells });
            var recipe = new TrainingRecipe { Epochs = request.Epochs, Seed = request.Seed, TrainSamples = Math.Min(request.TrainSamples, split.Train.Count) };
            evaluator = new TrainingEvaluator(space, split.Train, split.Validation, recipe, test);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(e.Message);
        }

        return (space, evaluator);
    }

    /// <summary>Loads Fashion-MNIST's training and test sets, standardized with the training set's statistics.</summary>
    internal static (InMemoryDataset Train, InMemoryDataset Test) LoadFashionMnist(string folder)
    {
        InMemoryDataset train, test;
        try
        {
            train = NasKit.Data.Mnist.FashionMnist.Load(folder, train: true);
            test = NasKit.Data.Mnist.FashionMnist.Load(folder, train: false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new CliInputException($"cannot load Fashion-MNIST from '{folder}' ({e.Message}); on Debian: apt-get install dataset-fashion-mnist, or pass --data DIR.");
        }

        var statistics = NasKit.Data.Transforms.ChannelStatistics.Compute(train);
        NasKit.Data.Transforms.Standardization.ApplyInPlace(train, statistics);
        NasKit.Data.Transforms.Standardization.ApplyInPlace(test, statistics);
        return (train, test);
    }

    private static Objective ParseObjective(string text)
    {
        try
        {
            return Objective.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliInputException($"--objective '{text}': {e.Message}");
        }
    }

    private static Constraint ParseConstraint(string text)
    {
        try
        {
            return Constraint.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliInputException($"--constraint '{text}': {e.Message}");
        }
    }

    private static string FormatProgress(FrozenTrial t, SearchRequest request)
    {
        var values = t.State == TrialState.Complete
            ? string.Join(", ", request.Objectives.Select(o => o.Name).Concat(request.Reports).Distinct(StringComparer.Ordinal)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n}={t.Metrics.GetValueOrDefault(n):G6}")))
            : t.FailureReason ?? t.State.ToString();
        return $"trial {t.Number} {t.State.ToString().ToLowerInvariant()}: {values}  {t.Architecture}";
    }
}
