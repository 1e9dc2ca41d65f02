using System.Globalization;
using System.Text;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors;

/// <summary>
/// Represents an active kernel profile: every backend kernel call is timed until the profiler is disposed. Obtain one from
/// <see cref="TensorEngine.StartProfiling"/>.
/// </summary>
/// <remarks>Kernel times are wall times of the calling thread and include the kernel's own parallel work. Time not spent in
/// kernels (autograd bookkeeping, allocation, the caller's code) is the difference to the measured total. Process-wide;
/// one profiler at a time.</remarks>
public sealed class KernelProfiler : IDisposable
{
    private readonly ProfilingBackend _backend;
    private bool _disposed;

    internal KernelProfiler(ProfilingBackend backend) => _backend = backend;

    /// <summary>Gets the timings collected so far, longest first.</summary>
    /// <returns>The timings.</returns>
    public IReadOnlyList<KernelTiming> Snapshot() => _backend.Snapshot();

    /// <summary>Formats the timings as a table, with each kernel's share of <paramref name="total"/> when given.</summary>
    /// <param name="total">The wall time the profile covers, to show shares and the time outside kernels.</param>
    /// <returns>The table.</returns>
    public string Format(TimeSpan? total = null)
    {
        var rows = Snapshot();
        var sb = new StringBuilder();
        var kernels = TimeSpan.FromTicks(rows.Sum(r => r.Total.Ticks));
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"kernel",-32} {"calls",9} {"ms",10} {"share",7}");
        foreach (var r in rows)
        {
            var share = total is { } t && t > TimeSpan.Zero ? r.Total / t : r.Total / kernels;
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Kernel,-32} {r.Calls,9} {r.Total.TotalMilliseconds,10:F1} {share,7:P1}");
        }

        if (total is { } tot)
        {
            var outside = tot - kernels;
            sb.AppendLine(CultureInfo.InvariantCulture, $"{"(outside kernels)",-32} {"",9} {outside.TotalMilliseconds,10:F1} {outside / tot,7:P1}");
        }

        return sb.ToString();
    }

    /// <summary>Stops profiling.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            BackendProvider.StopProfiling(_backend);
        }
    }
}
