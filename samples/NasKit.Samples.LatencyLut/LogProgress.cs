using Microsoft.Extensions.Logging;
using NasKit.Hardware.Latency;

namespace NasKit.Samples.LatencyLut;

/// <summary>Logs every fifth round of a profiler phase (synchronously, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class LogProgress(ILogger logger) : IProgress<LatencyProfilingProgress>
{
    public void Report(LatencyProfilingProgress value)
    {
        if (value.Completed % 5 == 0 || value.Completed == value.Total)
        {
            Log.RoundDone(logger, value.Phase, value.Completed, value.Total);
        }
    }
}
