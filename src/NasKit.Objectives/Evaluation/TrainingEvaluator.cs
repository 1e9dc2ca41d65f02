using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NasKit.Data;
using NasKit.Objectives.Internal;
using NasKit.SearchSpace;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;
using NasKit.Tensors.Optim.Schedulers;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Evaluates architectures by training them: builds the network with its space, trains it for a number of epochs on a training set
/// with a <see cref="TrainingRecipe"/>, and measures top-1 accuracy on a validation set after every epoch (and on a test set at the end,
/// when one is given).
/// </summary>
/// <remarks>
/// <para><b>Metrics:</b> <see cref="StandardMetrics.ValidationAccuracy"/> and <see cref="StandardMetrics.TrainLoss"/> (mean over the last
/// epoch), plus <see cref="StandardMetrics.TestAccuracy"/> when a test set is given. Accuracies are fractions in [0, 1].</para>
/// <para><b>Progress and pruning.</b> After epoch <c>e</c> (1-based) the evaluator reports both per-epoch metrics at step <c>e</c> and then
/// asks <see cref="ITrialReporter.ShouldPrune"/>; when it is true the evaluator stops and throws <see cref="TrialPrunedException"/>
/// with that step.</para>
/// <para><b>Failure.</b> A loss that becomes NaN or infinite ends the trial with <see cref="EvaluationFailedException"/> naming the epoch
/// and batch; no metric is invented. <b>Cancellation</b> is checked before every batch.</para>
/// <para><b>Determinism.</b> The recipe's seed fixes weight initialisation, the training subset and the shuffling, so the same recipe on
/// the same thread count gives the same metrics. Training runs on a thread-pool thread; each evaluation builds and disposes its own
/// network, so several evaluations may run at once (the datasets are only read).</para>
/// </remarks>
public sealed class TrainingEvaluator : IEvaluator
{
    private const long SubsetSeedSalt = 0x5EB5E7;

    private readonly ISearchSpace _space;
    private readonly IDataset _trainSet;
    private readonly IDataset _validationSet;
    private readonly IDataset? _testSet;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string[] _metricNames;

    /// <summary>Initializes a new instance of the <see cref="TrainingEvaluator"/> class.</summary>
    /// <param name="space">The space that builds the architectures' networks.</param>
    /// <param name="trainSet">The training set.</param>
    /// <param name="validationSet">The validation set, measured after every epoch.</param>
    /// <param name="recipe">How to train; null uses the defaults.</param>
    /// <param name="testSet">A test set measured once at the end, or null.</param>
    /// <param name="logger">Receives progress; null logs nothing.</param>
    /// <param name="timeProvider">The clock for durations; null uses <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="space"/>, <paramref name="trainSet"/> or <paramref name="validationSet"/> is null.</exception>
    /// <exception cref="ArgumentException">The recipe is invalid (the message lists every problem), or the datasets differ in sample
    /// shape or number of classes, or one is empty.</exception>
    public TrainingEvaluator(
        ISearchSpace space,
        IDataset trainSet,
        IDataset validationSet,
        TrainingRecipe? recipe = null,
        IDataset? testSet = null,
        ILogger<TrainingEvaluator>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(trainSet);
        ArgumentNullException.ThrowIfNull(validationSet);
        Recipe = recipe ?? new TrainingRecipe();
        var errors = Recipe.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid TrainingRecipe: " + string.Join(" ", errors), nameof(recipe));
        }

        CheckCompatible(trainSet, validationSet, nameof(validationSet));
        if (testSet is not null)
        {
            CheckCompatible(trainSet, testSet, nameof(testSet));
        }

        if (trainSet.Count == 0 || validationSet.Count == 0)
        {
            throw new ArgumentException(
                $"The training and validation sets must not be empty, but have {trainSet.Count} and {validationSet.Count} samples.", nameof(trainSet));
        }

        _space = space;
        _trainSet = trainSet;
        _validationSet = validationSet;
        _testSet = testSet;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metricNames = testSet is null
            ? [StandardMetrics.ValidationAccuracy, StandardMetrics.TrainLoss]
            : [StandardMetrics.ValidationAccuracy, StandardMetrics.TrainLoss, StandardMetrics.TestAccuracy];
    }

    /// <summary>Gets the training recipe.</summary>
    public TrainingRecipe Recipe { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> MetricNames => _metricNames;

    /// <inheritdoc/>
    /// <exception cref="IncompatibleArchitectureException">The architecture belongs to another space.</exception>
    /// <exception cref="ArgumentException">The network's input shape differs from the datasets' sample shape, or its number of outputs
    /// from their number of classes.</exception>
    public ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(reporter);
        cancellationToken.ThrowIfCancellationRequested();
        if (!string.Equals(architecture.SpaceName, _space.Name, StringComparison.Ordinal))
        {
            throw new IncompatibleArchitectureException(_space.Name, architecture, nameof(architecture));
        }

        var inputShape = _space.GetInputShape(architecture);
        if (!inputShape.SequenceEqual(_trainSet.SampleShape))
        {
            throw new ArgumentException(
                $"The network of '{architecture}' takes inputs of shape [{string.Join(", ", inputShape)}], but the datasets' samples have shape " +
                $"[{string.Join(", ", _trainSet.SampleShape)}].",
                nameof(architecture));
        }

        return new ValueTask<EvaluationResult>(Task.Run(() => Train(architecture, reporter, cancellationToken), cancellationToken));
    }

    private static void CheckCompatible(IDataset reference, IDataset other, string parameterName)
    {
        if (!reference.SampleShape.SequenceEqual(other.SampleShape) || reference.NumClasses != other.NumClasses)
        {
            throw new ArgumentException(
                $"Every dataset must have the training set's sample shape [{string.Join(", ", reference.SampleShape)}] and {reference.NumClasses} classes, " +
                $"but {parameterName} has [{string.Join(", ", other.SampleShape)}] and {other.NumClasses}.",
                parameterName);
        }
    }

    private static long CountCorrect(Tensor logits, ReadOnlySpan<int> targets)
    {
        using var predicted = logits.ArgMax(1);
        var values = predicted.ToArray();
        long correct = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if ((int)values[i] == targets[i])
            {
                correct++;
            }
        }

        return correct;
    }

    private EvaluationResult Train(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken)
    {
        var recipe = Recipe;
        var start = _timeProvider.GetTimestamp();
        var trainSet = _trainSet;
        if (recipe.TrainSamples is { } n && n < trainSet.Count)
        {
            trainSet = trainSet.Subset(new Generator(recipe.Seed ^ SubsetSeedSalt).Permutation(trainSet.Count).AsSpan(0, n));
        }

        using var model = _space.Build(architecture, new Generator(recipe.Seed));
        using var optimizer = new Sgd(model.Parameters(), new SgdOptions
        {
            LearningRate = recipe.LearningRate,
            Momentum = recipe.Momentum,
            Nesterov = recipe.Nesterov,
            WeightDecay = recipe.WeightDecay,
        });
        var loader = new DataLoader(trainSet, recipe.BatchSize, shuffle: true, seed: recipe.Seed);
        var schedule = recipe.CosineSchedule ? new CosineAnnealingLR(optimizer, totalSteps: recipe.Epochs * loader.BatchesPerEpoch) : null;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.TrainingStarted(architecture.ToString(), recipe.Epochs, loader.BatchesPerEpoch, recipe.BatchSize, model.ParameterCount());
        }

        double validationAccuracy = 0, trainLoss = 0;
        var checkedOutputs = false;
        for (var epoch = 0; epoch < recipe.Epochs; epoch++)
        {
            var epochStart = _timeProvider.GetTimestamp();
            model.Train();
            double lossSum = 0;
            long seen = 0;
            var batchIndex = 0;
            foreach (var batch in loader.GetEpoch(epoch))
            {
                using (batch)
                using (TensorScope.Begin())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    optimizer.ZeroGrad();
                    var logits = model.Call(batch.Inputs);
                    if (!checkedOutputs)
                    {
                        CheckOutputs(architecture, logits);
                        checkedOutputs = true;
                    }

                    var loss = Functional.CrossEntropy(logits, batch.Targets);
                    var value = loss.Item();
                    if (!float.IsFinite(value))
                    {
                        _logger.TrainingDiverged(epoch + 1, batchIndex + 1, value);
                        throw new EvaluationFailedException(
                            $"Training '{architecture}' diverged: the loss became {value} at epoch {epoch + 1}, batch {batchIndex + 1} of {loader.BatchesPerEpoch}.");
                    }

                    loss.Backward();
                    optimizer.Step();
                    schedule?.Step();
                    lossSum += (double)value * batch.Count;
                    seen += batch.Count;
                    batchIndex++;
                }
            }

            trainLoss = lossSum / seen;
            validationAccuracy = Accuracy(model, _validationSet, cancellationToken);
            var epochSeconds = _timeProvider.GetElapsedTime(epochStart).TotalSeconds;
            _logger.EpochCompleted(epoch + 1, recipe.Epochs, trainLoss, validationAccuracy, epochSeconds);
            reporter.Report(epoch + 1, new Dictionary<string, double>(StringComparer.Ordinal)
            {
                [StandardMetrics.ValidationAccuracy] = validationAccuracy,
                [StandardMetrics.TrainLoss] = trainLoss,
            });
            if (reporter.ShouldPrune)
            {
                _logger.TrialPruned(epoch + 1);
                throw new TrialPrunedException(epoch + 1);
            }
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [StandardMetrics.ValidationAccuracy] = validationAccuracy,
            [StandardMetrics.TrainLoss] = trainLoss,
        };
        if (_testSet is not null)
        {
            metrics[StandardMetrics.TestAccuracy] = Accuracy(model, _testSet, cancellationToken);
        }

        return new EvaluationResult(metrics, _timeProvider.GetElapsedTime(start));
    }

    private void CheckOutputs(Architecture architecture, Tensor logits)
    {
        if (logits.Rank != 2 || logits.Size(1) != _trainSet.NumClasses)
        {
            throw new ArgumentException(
                $"The network of '{architecture}' must output [batch, {_trainSet.NumClasses}] logits for the datasets' {_trainSet.NumClasses} classes, " +
                $"but output [{string.Join(", ", logits.Shape)}].",
                nameof(architecture));
        }
    }

    private double Accuracy(Module<Tensor, Tensor> model, IDataset data, CancellationToken cancellationToken)
    {
        model.Eval();
        long correct = 0;
        using (Autograd.NoGrad())
        {
            foreach (var batch in new DataLoader(data, Recipe.EvaluationBatchSize).GetEpoch(0))
            {
                using (batch)
                using (TensorScope.Begin())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    correct += CountCorrect(model.Call(batch.Inputs), batch.Targets);
                }
            }
        }

        model.Train();
        return (double)correct / data.Count;
    }
}
