using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NasKit.Data;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers.OneShot;
using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;

namespace NasKit.Cli.Commands;

/// <summary>
/// <c>naskit search --space nb201 --dataset fashion-mnist --strategy darts|darts2|gdas|spos|zo-darts|zo-darts+ --epochs E --cells N
/// --channels C --batch B --seed S [--train-samples N] [--retrain-epochs R] [--retrain-samples M] [--checkpoint FILE] [--store FILE] [--json]</c>:
/// a one-shot supernet search on Fashion-MNIST (one input channel, 28×28), optionally followed by training the found cell from scratch.
/// </summary>
internal static class OneShotSearchRunner
{
    private const long RetrainSplitSalt = 0x7E7A1;
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(OneShotRequest request, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (request.Table is not null)
        {
            throw new CliInputException($"the one-shot strategy '{OneShotMethods.GetName(request.Method)}' trains a supernet and needs --dataset fashion-mnist, not --table.");
        }

        if (!string.Equals(request.Dataset, "fashion-mnist", StringComparison.Ordinal))
        {
            throw new CliInputException(request.Dataset is null
                ? $"the one-shot strategy '{OneShotMethods.GetName(request.Method)}' needs --dataset fashion-mnist."
                : $"unknown dataset '{request.Dataset}'; expected fashion-mnist.");
        }

        if (request.TrainSamples is <= 0 || request.RetrainEpochs is <= 0 || request.RetrainSamples is <= 0)
        {
            throw new CliInputException("--train-samples, --retrain-epochs and --retrain-samples must be positive when given.");
        }

        var (train, test) = SearchCommand.LoadFashionMnist(request.DataFolder);
        IDataset searchData = request.TrainSamples is { } n && n < train.Count ? train.Subset(new Generator(request.Seed).Permutation(train.Count).AsSpan(0, n)) : train;
        OneShotSearchOptions options;
        try
        {
            options = new OneShotSearchOptions(request.Method)
            {
                Network = Nb201NetworkOptions.Cifar10 with { InputChannels = 1, InputSize = 28, Classes = NasKit.Data.Mnist.FashionMnist.NumClasses, Channels = request.Channels, CellsPerStage = request.Cells },
                Epochs = request.Epochs,
                BatchSize = request.BatchSize,
                Seed = request.Seed,
                CheckpointPath = request.Checkpoint,
            };
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(e.Message);
        }

        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new CliInputException(string.Join(" ", errors));
        }

        using var sqlite = request.Store is null ? null : SearchCommand.OpenStore(request.Store);
        OneShotSearchResult result;
        try
        {
            var search = new OneShotSearch(options, sqlite, request.Study);
            var progress = new SynchronousProgress<OneShotEpochReport>(r => error.WriteLine(FormatEpoch(r)));
            result = await search.RunAsync(searchData, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or CheckpointMismatchException or InvalidDataException)
        {
            throw new CliInputException(e.Message);
        }

        using (result)
        {
            output.WriteLine($"{OneShotMethods.GetName(request.Method)}: {result.Cell}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search: {result.SearchSeconds:F1} s over {request.Epochs} epochs on {searchData.Count} images{(result.IsCollapsed ? "; the cell is skip/none only (collapsed)" : string.Empty)}"));
            double? retrainAccuracy = null;
            if (request.RetrainEpochs is { } retrainEpochs)
            {
                retrainAccuracy = await RetrainAsync(result.Cell, options.Network, train, test, retrainEpochs, request, error, cancellationToken).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retrained {retrainEpochs} epochs: test accuracy {retrainAccuracy:F4}"));
            }

            if (json)
            {
                var line = new Dictionary<string, object?>
                {
                    ["strategy"] = OneShotMethods.GetName(request.Method),
                    ["seed"] = request.Seed,
                    ["arch"] = result.Cell.ToString(),
                    ["search_seconds"] = Math.Round(result.SearchSeconds, 3),
                    ["epochs"] = request.Epochs,
                    ["collapsed"] = result.IsCollapsed,
                };
                if (retrainAccuracy is { } accuracy)
                {
                    line["retrain_test_accuracy"] = accuracy;
                }

                output.WriteLine(JsonSerializer.Serialize(line, s_json));
            }
        }

        return ExitCodes.Success;
    }

    private static async Task<double> RetrainAsync(Nb201Cell cell, Nb201NetworkOptions network, InMemoryDataset train, InMemoryDataset test, int epochs, OneShotRequest request, TextWriter error, CancellationToken cancellationToken)
    {
        var split = NasKit.Data.Splits.DataSplits.TrainValidation(train, 0.1, request.Seed ^ RetrainSplitSalt);
        var recipe = new TrainingRecipe { Epochs = epochs, Seed = request.Seed, TrainSamples = request.RetrainSamples is { } m ? Math.Min(m, split.Train.Count) : null };
        var evaluator = new TrainingEvaluator(new Nb201SearchSpace(network), split.Train, split.Validation, recipe, test);
        error.WriteLine($"retraining {cell} for {epochs} epochs on {recipe.TrainSamples ?? split.Train.Count} images");
        var evaluation = await evaluator.EvaluateAsync(cell, NullTrialReporter.Instance, cancellationToken).ConfigureAwait(false);
        return evaluation[StandardMetrics.TestAccuracy];
    }

    private static string FormatEpoch(OneShotEpochReport r)
    {
        var architecture = r.ArchitectureAccuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $", arch acc {a:F4}") : string.Empty;
        var temperature = r.Temperature is { } t ? string.Create(CultureInfo.InvariantCulture, $", T {t:G4}") : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {r.Epoch + 1}/{r.Epochs}: loss {r.TrainLoss:F4}, acc {r.TrainAccuracy:F4}{architecture}{temperature}, active ops/edge {r.ActiveOperations:F2}, {r.SearchSeconds:F1} s  {r.Cell?.ToString() ?? string.Empty}");
    }
}
