using NasKit.Tensors.Internal.Backends.Cpu;

namespace NasKit.Tensors.Internal.Backends;

/// <summary>Maps devices to backends. Only the CPU backend exists today.</summary>
internal static class BackendProvider
{
    public static ITensorBackend Cpu { get; } = new CpuBackend();

    public static ITensorBackend For(Device device) => device.Type switch
    {
        DeviceType.Cpu => Cpu,
        _ => throw new NotSupportedException($"No backend is available for device {device}."),
    };
}
