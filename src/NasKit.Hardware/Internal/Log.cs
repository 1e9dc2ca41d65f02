using Microsoft.Extensions.Logging;

namespace NasKit.Hardware.Internal;

/// <summary>The log messages of NasKit.Hardware. Event IDs are in the assembly's range 4000–4999 (latency: 4000–4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Profiling {UnitCount} timed units ({NewCount} new signatures) with {Threads} thread(s), {WarmupRuns} warm-up runs and {Repeats} repeats")]
    public static partial void ProfilingStarted(this ILogger logger, int unitCount, int newCount, int threads, int warmupRuns, int repeats);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Timed {Signature}: {Milliseconds} ms")]
    public static partial void SignatureTimed(this ILogger logger, string signature, double milliseconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Profiled network: end-to-end {EndToEndMilliseconds} ms, sum of layers {SumMilliseconds} ms")]
    public static partial void ProfilingFinished(this ILogger logger, double endToEndMilliseconds, double sumMilliseconds);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Measuring {NetworkCount} networks end to end, interleaved, {Repeats} repeats")]
    public static partial void EndToEndStarted(this ILogger logger, int networkCount, int repeats);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Profiling {MissingCount} signatures missing from the latency table")]
    public static partial void ProfilingMissing(this ILogger logger, int missingCount);
}
