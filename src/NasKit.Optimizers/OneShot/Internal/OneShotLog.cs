using Microsoft.Extensions.Logging;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>The log messages of one-shot searches (NasKit.Optimizers range 6000–6999; one-shot: 6100–6199).</summary>
internal static partial class OneShotLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "{Method}: epoch {Epoch}/{Epochs} train loss {Loss:F4}, train accuracy {Accuracy:F4}, cell {Cell} ({Seconds:F1} s)")]
    public static partial void EpochCompleted(this ILogger logger, string method, int epoch, int epochs, double loss, double accuracy, string cell, double seconds);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "{Method}: resumed from checkpoint {Path} after epoch {Epochs}")]
    public static partial void Resumed(this ILogger logger, string method, string path, int epochs);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "{Method}: evolutionary search scored {Evaluations} subnets; best {Cell}")]
    public static partial void EvolutionCompleted(this ILogger logger, string method, int evaluations, string cell);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "{Method}: search finished in {Seconds:F1} s: {Cell}")]
    public static partial void SearchCompleted(this ILogger logger, string method, double seconds, string cell);
}
