using System.Runtime.InteropServices;
using NasKit.Hardware.Latency.Internal;
using NasKit.Tensors;

namespace NasKit.Hardware.Latency;

/// <summary>Describes where and how the latencies of a <see cref="LatencyTable"/> were measured.</summary>
/// <param name="ProcessorName">The processor model (from <c>/proc/cpuinfo</c> on Linux, <c>PROCESSOR_IDENTIFIER</c> on Windows, else the architecture).</param>
/// <param name="ProcessorCount">The logical processors the process could use (<see cref="Environment.ProcessorCount"/>).</param>
/// <param name="OperatingSystem">The operating system (<see cref="RuntimeInformation.OSDescription"/>).</param>
/// <param name="Framework">The .NET runtime (<see cref="RuntimeInformation.FrameworkDescription"/>).</param>
/// <param name="Threads">The kernel threads (<see cref="TensorEngine.ThreadCount"/>) during measurement.</param>
/// <param name="WarmupRuns">The untimed runs before each measurement.</param>
/// <param name="Repeats">The timed runs per entry; an entry is their median.</param>
/// <param name="CreatedUtc">When the table was measured.</param>
/// <param name="Description">A free-text note (for example the device's name), or null.</param>
public sealed record LatencyTableMetadata(
    string ProcessorName,
    int ProcessorCount,
    string OperatingSystem,
    string Framework,
    int Threads,
    int WarmupRuns,
    int Repeats,
    DateTimeOffset CreatedUtc,
    string? Description = null)
{
    /// <summary>Describes the current machine and runtime, with the given measurement settings.</summary>
    /// <param name="threads">The kernel threads used.</param>
    /// <param name="warmupRuns">The untimed runs before each measurement.</param>
    /// <param name="repeats">The timed runs per entry.</param>
    /// <param name="createdUtc">The time of the measurement (for example <c>TimeProvider.System.GetUtcNow()</c>).</param>
    /// <param name="description">A free-text note, or null.</param>
    /// <returns>The metadata.</returns>
    public static LatencyTableMetadata ForCurrentMachine(int threads, int warmupRuns, int repeats, DateTimeOffset createdUtc, string? description = null) =>
        new(MachineInfo.ProcessorName(), Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            threads, warmupRuns, repeats, createdUtc, description);

    /// <summary>Returns whether two tables were measured on the same kind of machine with the same kernel threads (the fields that change latencies).</summary>
    /// <param name="other">The other metadata.</param>
    /// <returns>True when processor name, processor count and threads agree.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsSameDevice(LatencyTableMetadata other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(ProcessorName, other.ProcessorName, StringComparison.Ordinal) && ProcessorCount == other.ProcessorCount && Threads == other.Threads;
    }
}
