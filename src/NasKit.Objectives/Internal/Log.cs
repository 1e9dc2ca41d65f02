using Microsoft.Extensions.Logging;

namespace NasKit.Objectives.Internal;

/// <summary>The log messages of NasKit.Objectives. Event IDs are in the assembly's range 5000–5999 (evaluation: 5000–5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Training {Architecture}: {Epochs} epoch(s) of {Batches} batches of {BatchSize}, {Parameters} parameters")]
    public static partial void TrainingStarted(this ILogger logger, string architecture, int epochs, int batches, int batchSize, long parameters);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: train loss {TrainLoss:F4}, validation accuracy {ValidationAccuracy:F4} ({Seconds:F1} s)")]
    public static partial void EpochCompleted(this ILogger logger, int epoch, int epochs, double trainLoss, double validationAccuracy, double seconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Pruned after epoch {Epoch}")]
    public static partial void TrialPruned(this ILogger logger, int epoch);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Training diverged at epoch {Epoch}, batch {Batch}: loss {Loss}")]
    public static partial void TrainingDiverged(this ILogger logger, int epoch, int batch, double loss);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Evaluation attempt {Attempt} of {Attempts} failed; retrying")]
    public static partial void EvaluationRetrying(this ILogger logger, Exception exception, int attempt, int attempts);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Evaluation exceeded its time budget of {BudgetSeconds} s")]
    public static partial void TimeBudgetExceeded(this ILogger logger, double budgetSeconds);

}
