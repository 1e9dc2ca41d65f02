using Microsoft.Extensions.Logging;

namespace NasKit.Optimizers.Internal;

/// <summary>The log messages of NasKit.Optimizers. Event IDs are in the assembly's range 6000–6999 (studies: 6000–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Resumed study {Study} with {Trials} trials")]
    public static partial void StudyResumed(this ILogger logger, string study, int trials);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Trial {Number}: {Architecture}")]
    public static partial void TrialAsked(this ILogger logger, int number, string architecture);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Trial {Number} complete: {Metrics}")]
    public static partial void TrialCompleted(this ILogger logger, int number, string metrics);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Trial {Number} {State}: {Reason}")]
    public static partial void TrialEnded(this ILogger logger, int number, TrialState state, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Trial {Number} failed")]
    public static partial void TrialFailed(this ILogger logger, Exception exception, int number);
}
