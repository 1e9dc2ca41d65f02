namespace NasKit.Hardware.Devices;

/// <summary>Names the limits a <see cref="DeviceProfile"/> can set.</summary>
public enum DeviceLimit
{
    /// <summary>The parameter elements (<see cref="ModelCost.Parameters"/>).</summary>
    Parameters,

    /// <summary>The multiply-accumulates of one inference (<see cref="ModelCost.Macs"/>).</summary>
    Macs,

    /// <summary>The peak bytes of live activations, the RAM that inference needs (<see cref="ModelCost.PeakActivationBytes"/>).</summary>
    PeakActivationBytes,

    /// <summary>The bytes to store parameters and buffers at the profile's bytes per element, the flash that the model needs.</summary>
    ModelBytes,

    /// <summary>The predicted latency of one inference in milliseconds.</summary>
    LatencyMilliseconds,
}
