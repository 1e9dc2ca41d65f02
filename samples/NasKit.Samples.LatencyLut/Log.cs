using Microsoft.Extensions.Logging;

namespace NasKit.Samples.LatencyLut;

/// <summary>The sample's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Timing {Phase}: round {Completed}/{Total}")]
    public static partial void RoundDone(ILogger logger, string phase, int completed, int total);
}
