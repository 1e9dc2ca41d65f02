namespace NasKit.Tensors;

/// <summary>Represents the device a tensor lives on (today: the CPU).</summary>
/// <param name="Type">The kind of device.</param>
/// <param name="Index">The device ordinal, 0 for the CPU.</param>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>Gets the CPU device.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"{Type.ToString().ToUpperInvariant()}:{Index}";
}
