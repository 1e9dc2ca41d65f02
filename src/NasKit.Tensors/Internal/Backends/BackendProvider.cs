using NasKit.Tensors.Internal.Backends.Cpu;

namespace NasKit.Tensors.Internal.Backends;

/// <summary>Maps devices to backends. Only the CPU backend exists today.</summary>
internal static class BackendProvider
{
    private static readonly CpuBackend s_cpu = new();
    private static ITensorBackend? s_decorator;

    /// <summary>Gets the CPU backend (wrapped in the profiler or the tracer while one is on).</summary>
    public static ITensorBackend Cpu => Volatile.Read(ref s_decorator) ?? s_cpu;

    /// <summary>Gets whether an execution trace is being recorded (fused inference paths then run the model's own operations, so
    /// cost counting and latency signatures see the architecture, not its fused execution).</summary>
    public static bool IsTracing => Volatile.Read(ref s_decorator) is TracingBackend;

    public static ITensorBackend For(Device device) => device.Type switch
    {
        DeviceType.Cpu => Cpu,
        _ => throw new NotSupportedException($"No backend is available for device {device}."),
    };

    public static ProfilingBackend StartProfiling()
    {
        var profiling = new ProfilingBackend(s_cpu);
        Install(profiling);
        return profiling;
    }

    public static void StopProfiling(ProfilingBackend profiling) => Interlocked.CompareExchange(ref s_decorator, null, profiling);

    public static TracingBackend StartTracing()
    {
        var tracing = new TracingBackend(s_cpu);
        Install(tracing);
        return tracing;
    }

    public static void StopTracing(TracingBackend tracing) => Interlocked.CompareExchange(ref s_decorator, null, tracing);

    private static void Install(ITensorBackend decorator)
    {
        var active = Interlocked.CompareExchange(ref s_decorator, decorator, null);
        if (active is not null)
        {
            ThrowHelper.ThrowInvalidOperation(active is ProfilingBackend
                ? "Kernel profiling is on; dispose the active KernelProfiler before starting another profile or trace."
                : "Execution tracing is on; dispose the active ExecutionTracer before starting another profile or trace.");
        }
    }
}
