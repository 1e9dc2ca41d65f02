using System.Diagnostics;

namespace NasKit.Perf;

/// <summary>Per-call seconds of a workload: median, best and worst repetition, with the protocol used.</summary>
internal sealed record Measurement(double Median, double Best, double Worst, int Warmup, int Reps, int Inner)
{
    /// <summary>
    /// Times <paramref name="call"/> exactly as the peer does: <paramref name="warmup"/> untimed calls, then <paramref name="reps"/>
    /// repetitions of <c>inner</c> back-to-back calls, where <c>inner</c> is calibrated once so that one repetition lasts at least
    /// <paramref name="minRepSeconds"/> (1 when it is 0).
    /// </summary>
    public static Measurement Run(Action call, int warmup, int reps, double minRepSeconds = 0, int maxInner = 10000)
    {
        for (var i = 0; i < warmup; i++)
        {
            call();
        }

        var inner = 1;
        if (minRepSeconds > 0)
        {
            var t0 = Stopwatch.GetTimestamp();
            call();
            var one = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            inner = Math.Max(1, Math.Min(maxInner, (int)Math.Ceiling(minRepSeconds / Math.Max(one, 1e-9))));
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var times = new double[reps];
        for (var r = 0; r < reps; r++)
        {
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < inner; i++)
            {
                call();
            }

            times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds / inner;
        }

        Array.Sort(times);
        var median = reps % 2 == 1 ? times[reps / 2] : (times[(reps / 2) - 1] + times[reps / 2]) / 2;
        return new Measurement(median, times[0], times[^1], warmup, reps, inner);
    }
}
