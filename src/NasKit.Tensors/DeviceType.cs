namespace NasKit.Tensors;

/// <summary>Identifies the kind of processor a tensor's storage lives on.</summary>
public enum DeviceType
{
    /// <summary>Host memory, computed by the CPU backend.</summary>
    Cpu = 0,
}
