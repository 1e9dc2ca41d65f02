using NasKit.Tensors.Internal.Backends.Cpu;

namespace NasKit.Tensors.Internal.Backends;

/// <summary>Maps devices to backends. Only the CPU backend exists today.</summary>
internal static class BackendProvider
{
    private static readonly CpuBackend s_cpu = new();
    private static ProfilingBackend? s_profiling;

    /// <summary>Gets the CPU backend (wrapped in the profiler while profiling is on).</summary>
    public static ITensorBackend Cpu => (ITensorBackend?)Volatile.Read(ref s_profiling) ?? s_cpu;

    public static ITensorBackend For(Device device) => device.Type switch
    {
        DeviceType.Cpu => Cpu,
        _ => throw new NotSupportedException($"No backend is available for device {device}."),
    };

    public static ProfilingBackend StartProfiling()
    {
        var profiling = new ProfilingBackend(s_cpu);
        if (Interlocked.CompareExchange(ref s_profiling, profiling, null) is not null)
        {
            ThrowHelper.ThrowInvalidOperation("Kernel profiling is already on; dispose the active KernelProfiler first.");
        }

        return profiling;
    }

    public static void StopProfiling(ProfilingBackend profiling) => Interlocked.CompareExchange(ref s_profiling, null, profiling);
}
