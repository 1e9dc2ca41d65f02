using Microsoft.Extensions.Logging;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers;

namespace NasKit.Quickstart;

/// <summary>Logs one line per finished trial, on the calling thread (System.Progress would post to the thread pool and reorder lines).</summary>
internal sealed class TrialLogger(ILogger logger, int trials) : IProgress<FrozenTrial>
{
    private readonly Lock _gate = new();

    public void Report(FrozenTrial value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        lock (_gate)
        {
            var state = value.State.ToString().ToLowerInvariant();
            if (value.State == TrialState.Complete)
            {
                var seconds = value.FinishedAt is { } end ? (end - value.StartedAt).TotalSeconds : double.NaN;
                logger.TrialCompleted(value.Number + 1, trials, state, value.GetMetric(StandardMetrics.ValidationAccuracy),
                    value.GetMetric(StandardMetrics.Macs), seconds, value.Architecture);
            }
            else
            {
                logger.TrialNotCompleted(value.Number + 1, trials, state, value.FailureReason ?? "no reason recorded", value.Architecture);
            }
        }
    }
}
