using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasKit.Data;
using NasKit.Data.Splits;
using NasKit.Optimizers.OneShot.Internal;
using NasKit.Optimizers.Storage;
using NasKit.SearchSpace.Nb201;
using NasKit.Supernet;
using NasKit.Supernet.Mixing;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;

namespace NasKit.Optimizers.OneShot;

/// <summary>
/// Runs a one-shot (weight-sharing) architecture search over the NAS-Bench-201 cell: DARTS (first and second order), GDAS, SPOS,
/// ZO-DARTS or ZO-DARTS+ (<see cref="OneShotMethod"/>), on a supernet whose weights and architecture logits α have their own optimizers.
/// </summary>
/// <remarks>
/// <para>The search data is split (stratified, seeded) into a weight stream and an architecture stream (<see cref="OneShotSearchOptions.ArchitectureFraction"/>);
/// each step takes one batch of each. Every epoch ends with a report (<see cref="IProgress{T}"/> and <see cref="ILogger"/>), the
/// derived cell recorded as a completed trial in the trial store when one is given (metrics <c>epoch</c>, <c>train_loss</c>,
/// <c>train_accuracy</c>, <c>architecture_accuracy</c>, <c>search_seconds</c>), and a checkpoint when
/// <see cref="OneShotSearchOptions.CheckpointPath"/> is set.</para>
/// <para>Resuming: when the checkpoint file exists, the search restores the weights, α, batch-norm statistics, both optimizers and
/// every random generator, and continues with the next epoch; data order is a function of (seed, epoch), so a resumed search takes the
/// same steps as an uninterrupted one and ends with the same cell. A checkpoint written by a search with other settings is refused.</para>
/// <para>Cancellation throws <see cref="OperationCanceledException"/> at the next step; the last epoch-boundary checkpoint stays.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = new OneShotSearchOptions(OneShotMethod.ZoDartsPlus) { Network = Nb201NetworkOptions.Cifar10 with { InputChannels = 1, InputSize = 28, CellsPerStage = 3 }, Epochs = 10 };
/// using var result = await new OneShotSearch(options).RunAsync(trainSet);
/// Console.WriteLine(result.Cell);
/// </code>
/// </example>
public sealed class OneShotSearch
{
    private static readonly JsonSerializerOptions s_fingerprintJson = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly ITrialStore? _store;
    private readonly string _studyName;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="OneShotSearch"/> class.</summary>
    /// <param name="options">The method and its settings.</param>
    /// <param name="store">Where each epoch's derived cell is recorded as a trial; null records nothing.</param>
    /// <param name="studyName">The study's name in the store; null uses <c>oneshot-&lt;method&gt;-&lt;seed&gt;</c>.</param>
    /// <param name="logger">Receives one line per epoch; null logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public OneShotSearch(OneShotSearchOptions options, ITrialStore? store = null, string? studyName = null, ILogger<OneShotSearch>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid OneShotSearchOptions: " + string.Join(" ", errors), nameof(options));
        }

        Options = options;
        _store = store;
        _studyName = studyName ?? string.Create(CultureInfo.InvariantCulture, $"oneshot-{OneShotMethods.GetName(options.Method)}-{options.Seed}");
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the options.</summary>
    public OneShotSearchOptions Options { get; }

    /// <summary>Runs the search on a background thread; see <see cref="Run"/>.</summary>
    /// <param name="searchData">The data the search trains on (split into the weight and architecture streams).</param>
    /// <param name="progress">Receives a report after every epoch; null reports nothing.</param>
    /// <param name="cancellationToken">Stops the search at the next step.</param>
    /// <returns>The result; the caller disposes it.</returns>
    public Task<OneShotSearchResult> RunAsync(IDataset searchData, IProgress<OneShotEpochReport>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(searchData, progress, cancellationToken), cancellationToken);

    /// <summary>Runs the search on the calling thread.</summary>
    /// <param name="searchData">The data the search trains on (split into the weight and architecture streams).</param>
    /// <param name="progress">Receives a report after every epoch; null reports nothing.</param>
    /// <param name="cancellationToken">Stops the search at the next step.</param>
    /// <returns>The result; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="searchData"/> is null.</exception>
    /// <exception cref="ArgumentException">The data does not fit the network (sample shape, classes) or is too small for one batch per stream.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint file belongs to a search with other settings or data.</exception>
    /// <exception cref="InvalidDataException">The checkpoint file is not a one-shot checkpoint, or does not fit the supernet.</exception>
    /// <exception cref="OperationCanceledException">The search was cancelled.</exception>
    public OneShotSearchResult Run(IDataset searchData, IProgress<OneShotEpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchData);
        var o = Options;
        CheckData(searchData);
        var split = DataSplits.TrainValidation(searchData, o.ArchitectureFraction, o.Seed);
        var weightLoader = new DataLoader(split.Train, o.BatchSize, shuffle: true, seed: o.Seed, dropLast: true);
        var architectureLoader = new DataLoader(split.Validation, o.BatchSize, shuffle: true, seed: o.Seed + 1, dropLast: true);
        var steps = Math.Min(weightLoader.BatchesPerEpoch, architectureLoader.BatchesPerEpoch);
        if (steps == 0)
        {
            throw new ArgumentException(
                $"The search data ({searchData.Count} samples, split {split.Train.Count} weight / {split.Validation.Count} architecture) is too small for one batch of {o.BatchSize} per stream.",
                nameof(searchData));
        }

        if (o.Method is OneShotMethod.ZoDarts or OneShotMethod.ZoDartsPlus && steps < o.Rounds)
        {
            throw new ArgumentException(
                $"ZO-DARTS takes an architecture step every {o.Rounds} weight steps (Rounds), but an epoch has only {steps} steps ({split.Train.Count} weight samples / batch {o.BatchSize}), so α would never change. Use more data, a smaller batch or fewer rounds.",
                nameof(searchData));
        }

        var root = new Generator(o.Seed);
        var supernet = new Nb201Supernet(o.Network, new SoftmaxMixing(), o.TrackRunningStats, root.Spawn());
        var sampling = root.Spawn();
        var evolution = root.Spawn();
        try
        {
            using var state = new SearchState(o, supernet);
            using var stepper = CreateStepper(state, sampling);
            var method = OneShotMethods.GetName(o.Method);
            var fingerprint = Fingerprint(searchData);
            var history = new List<OneShotEpochReport>();
            var seconds = 0.0;
            var start = 0;
            var resumed = false;
            if (o.CheckpointPath is { } path && File.Exists(path))
            {
                var info = OneShotCheckpoint.Load(path, fingerprint, supernet, state.WeightOptimizer, state.ArchitectureOptimizer);
                start = info.CompletedEpochs;
                seconds = info.SearchSeconds;
                history.AddRange(info.History.Select(r => r.ToReport()));
                var generators = stepper.Generators.Append(evolution).ToArray();
                for (var i = 0; i < generators.Length && i < info.Generators.Count; i++)
                {
                    info.Generators[i].Restore(generators[i]);
                }

                resumed = true;
                _logger.Resumed(method, path, start);
            }

            OpenStudy(method);
            supernet.Train();
            for (var epoch = start; epoch < o.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                RunEpoch(state, stepper, weightLoader, architectureLoader, steps, epoch, cancellationToken);
                seconds += clock.Elapsed.TotalSeconds;
                var cell = o.Method == OneShotMethod.Spos ? null : supernet.DeriveCell();
                var report = new OneShotEpochReport(
                    epoch,
                    o.Epochs,
                    state.TrainLossSum / state.TrainSteps,
                    (double)state.TrainCorrect / state.TrainCount,
                    state.ArchitectureCount == 0 ? null : (double)state.ArchitectureCorrect / state.ArchitectureCount,
                    cell,
                    stepper.Temperature,
                    ActiveOperations(supernet),
                    seconds);
                history.Add(report);
                RecordEpoch(report, resumed);
                if (o.CheckpointPath is { } checkpoint)
                {
                    var info = new CheckpointInfo
                    {
                        Fingerprint = fingerprint,
                        CompletedEpochs = epoch + 1,
                        SearchSeconds = seconds,
                        Generators = [.. stepper.Generators.Append(evolution).Select(GeneratorSnapshot.Of)],
                        History = [.. history.Select(EpochRecord.Of)],
                    };
                    OneShotCheckpoint.Save(checkpoint, info, supernet, state.WeightOptimizer, state.ArchitectureOptimizer);
                }

                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.EpochCompleted(method, epoch + 1, o.Epochs, report.TrainLoss, report.TrainAccuracy, cell?.ToString() ?? "(after evolution)", seconds);
                }

                progress?.Report(report);
            }

            Nb201Cell found;
            if (o.Method == OneShotMethod.Spos)
            {
                var clock = Stopwatch.StartNew();
                var search = new SposEvolution(o, evolution);
                var scorer = new SposScorer(o, supernet, weightLoader.Dataset, architectureLoader.Dataset);
                found = search.Run(cell => scorer.Score(cell, cancellationToken), cancellationToken);
                seconds += clock.Elapsed.TotalSeconds;
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.EvolutionCompleted(method, search.Evaluations, found.ToString());
                }

                RecordFinal(found, seconds, search.Evaluations, resumed);
            }
            else
            {
                found = supernet.DeriveCell();
            }

            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.SearchCompleted(method, seconds, found.ToString());
            }

            return new OneShotSearchResult(o.Method, found, supernet, history, seconds, supernet.Alpha.ToArray());
        }
        catch
        {
            supernet.Dispose();
            throw;
        }
    }

    private static void RunEpoch(SearchState state, OneShotStepper stepper, DataLoader weightLoader, DataLoader architectureLoader, int steps, int epoch, CancellationToken cancellationToken)
    {
        stepper.BeginEpoch(epoch);
        state.SetLearningRate(epoch);
        state.ResetEpochStatistics();
        using var weightBatches = weightLoader.GetEpoch(epoch).GetEnumerator();
        using var architectureBatches = architectureLoader.GetEpoch(epoch).GetEnumerator();
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            weightBatches.MoveNext();
            architectureBatches.MoveNext();
            using var weightBatch = weightBatches.Current;
            using var architectureBatch = architectureBatches.Current;
            stepper.Step(weightBatch, architectureBatch, step);
        }

        stepper.EndEpoch();
    }

    private static double ActiveOperations(Nb201Supernet supernet) =>
        supernet.LastWeights is { } weights ? weights.Average(edge => edge.Count(w => w != 0f)) : 0;

    private OneShotStepper CreateStepper(SearchState state, Generator sampling) => Options.Method switch
    {
        OneShotMethod.Darts => new DartsStepper(state, secondOrder: false),
        OneShotMethod.Darts2 => new DartsStepper(state, secondOrder: true),
        OneShotMethod.Gdas => new GdasStepper(state, sampling),
        OneShotMethod.Spos => new SposStepper(state, sampling),
        OneShotMethod.ZoDarts => new ZerothOrderStepper(state, sampling, sparse: false),
        OneShotMethod.ZoDartsPlus => new ZerothOrderStepper(state, sampling, sparse: true),
        _ => throw new ArgumentOutOfRangeException(nameof(state), Options.Method, "Unknown one-shot method."),
    };

    private void CheckData(IDataset data)
    {
        var n = Options.Network;
        var shape = data.SampleShape;
        if (shape.Count != 3 || shape[0] != n.InputChannels || shape[1] % 4 != 0 || shape[2] % 4 != 0 || shape[1] == 0 || shape[2] == 0)
        {
            throw new ArgumentException(
                $"The search data's samples must have shape [{n.InputChannels}, H, W] with H and W positive multiples of 4 (Network.InputChannels = {n.InputChannels}), but have [{string.Join(", ", shape)}].",
                nameof(data));
        }

        if (data.NumClasses != n.Classes)
        {
            throw new ArgumentException($"The search data has {data.NumClasses} classes but the network has {n.Classes} outputs (Network.Classes).", nameof(data));
        }
    }

    /// <summary>Every setting except the checkpoint path, and the data's size, shape and label sum: what a resumable checkpoint must share.</summary>
    private string Fingerprint(IDataset data)
    {
        long labels = 0;
        for (var i = 0; i < data.Count; i++)
        {
            labels += (long)(i % 9973 + 1) * data.GetLabel(i);
        }

        var settings = JsonSerializer.Serialize(Options with { CheckpointPath = null }, s_fingerprintJson);
        return string.Create(CultureInfo.InvariantCulture, $"{settings}; data={data.Count}x[{string.Join(",", data.SampleShape)}], labels#{labels}");
    }

    private void OpenStudy(string method)
    {
        _store?.CreateOrOpenStudy(_studyName, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["space"] = new Nb201SearchSpace(Options.Network).Name,
            ["strategy"] = method,
            ["objectives"] = string.Empty,
            ["constraints"] = string.Empty,
            ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
        });
    }

    private void RecordEpoch(OneShotEpochReport report, bool resumed)
    {
        if (_store is null || report.Cell is null)
        {
            return;
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["epoch"] = report.Epoch,
            ["train_loss"] = report.TrainLoss,
            ["train_accuracy"] = report.TrainAccuracy,
            ["search_seconds"] = report.SearchSeconds,
        };
        if (report.ArchitectureAccuracy is { } accuracy)
        {
            metrics["architecture_accuracy"] = accuracy;
        }

        Record(report.Cell, metrics, report.Epoch, resumed);
    }

    private void RecordFinal(Nb201Cell cell, double seconds, int evaluations, bool resumed) =>
        Record(cell, new Dictionary<string, double>(StringComparer.Ordinal) { ["epoch"] = Options.Epochs, ["search_seconds"] = seconds, ["evaluations"] = evaluations }, Options.Epochs, resumed);

    /// <summary>Records a cell as a completed trial; a resumed search skips epochs the store already holds (recorded just before a crash
    /// that came ahead of the epoch's checkpoint).</summary>
    private void Record(Nb201Cell cell, Dictionary<string, double> metrics, int epoch, bool resumed)
    {
        if (_store is null || (resumed && _store.GetTrials(_studyName).Any(t => t.Metrics.TryGetValue("epoch", out var e) && (int)e == epoch)))
        {
            return;
        }

        var trial = _store.CreateTrial(_studyName, cell.ToString(), cell.CanonicalHash());
        _store.FinishTrial(_studyName, trial.Number, TrialState.Complete, metrics);
    }
}
