using Microsoft.Extensions.Logging;

namespace NasKit.Samples.FashionMnist;

/// <summary>The sample's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loaded {TrainCount} training and {TestCount} test images from {Folder}; standardised with mean {Mean:F4}, std {Std:F4}")]
    public static partial void DataLoaded(this ILogger logger, int trainCount, int testCount, string folder, float mean, float std);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Model: {Parameters} parameters; {Epochs} epochs of {Batches} batches of {BatchSize}; {Threads} threads")]
    public static partial void TrainingStarted(this ILogger logger, long parameters, int epochs, int batches, int batchSize, int threads);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: train loss {Loss:F4}, train accuracy {TrainAccuracy:F4}, test accuracy {TestAccuracy:F4}, lr {LearningRate:F5}, {Seconds:F1} s training")]
    public static partial void EpochCompleted(this ILogger logger, int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy, double learningRate, double seconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Cancelled after {Epochs} complete epochs")]
    public static partial void Cancelled(this ILogger logger, int epochs);
}
