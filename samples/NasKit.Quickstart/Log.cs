using Microsoft.Extensions.Logging;

namespace NasKit.Quickstart;

/// <summary>The quickstart's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loaded {TrainCount} training / {ValidationCount} validation / {TestCount} test images from {Folder}")]
    public static partial void DataLoaded(this ILogger logger, int trainCount, int validationCount, int testCount, string folder);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Searching NB201 (C={Channels}, N={Cells}, 1x28x28) with {Strategy}: {Trials} trials of {Epochs} epoch(s) on {TrainSamples} images (batch {BatchSize}, lr {LearningRate}), {Threads} threads, seed {Seed}")]
    public static partial void SearchStarted(this ILogger logger, int channels, int cells, string strategy, int trials, int epochs, int trainSamples, int batchSize, double learningRate, int threads, long seed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Trial {Number,3}/{Trials} {State}: val_acc {Accuracy:F4}  MACs {Macs,10:N0}  {Seconds,5:F1} s  {Architecture}")]
    public static partial void TrialCompleted(this ILogger logger, int number, int trials, string state, double accuracy, double macs, double seconds, string architecture);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Trial {Number}/{Trials} {State}: {Reason}  {Architecture}")]
    public static partial void TrialNotCompleted(this ILogger logger, int number, int trials, string state, string reason, string architecture);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Stopped early after {Trials} trials")]
    public static partial void Stopped(this ILogger logger, int trials);
}
