using NasKit.Hardware.Latency;

namespace NasKit.Hardware.Devices;

/// <summary>Provides device profiles for common deployment targets.</summary>
/// <remarks>
/// The memory numbers are the device's full capacities (1 KB = 1,024 B). A real deployment also needs RAM for the runtime, the
/// input buffer and the inference engine's scratch space, and flash for code; for a safety margin create a profile with smaller
/// limits (<c>new DeviceProfile { Name = ..., MaxPeakActivationBytes = 200 * 1024, ... }</c>).
/// </remarks>
public static class DeviceProfiles
{
    /// <summary>Gets a Cortex-M4-class microcontroller with 256 KB of SRAM and 1 MB of flash running int8 models.</summary>
    /// <remarks>The numbers are those of the STM32F412 (Arm Cortex-M4 at 100 MHz: 256 KB SRAM, 1 MB flash, per ST's datasheet), the
    /// smallest board MCUNet (Lin et al., NeurIPS 2020) deploys to; int8 because microcontroller inference engines (TFLite Micro,
    /// TinyEngine) run quantised models.</remarks>
    public static DeviceProfile Microcontroller256KB { get; } = new()
    {
        Name = "mcu-256kb",
        Description = "Cortex-M4-class microcontroller (STM32F412-like): 256 KB SRAM, 1 MB flash, int8 inference",
        MaxPeakActivationBytes = 256 * 1024,
        MaxModelBytes = 1024 * 1024,
        BytesPerElement = 1,
    };

    /// <summary>Gets a Cortex-M7-class microcontroller with 512 KB of SRAM and 2 MB of flash running int8 models.</summary>
    /// <remarks>The numbers are those MCUNet (Lin et al., NeurIPS 2020) uses for the STM32H743 (Arm Cortex-M7 at 480 MHz, 2 MB flash;
    /// its largest contiguous SRAM, the AXI SRAM, is 512 KB); int8 as for <see cref="Microcontroller256KB"/>.</remarks>
    public static DeviceProfile Microcontroller512KB { get; } = new()
    {
        Name = "mcu-512kb",
        Description = "Cortex-M7-class microcontroller (STM32H743-like): 512 KB SRAM, 2 MB flash, int8 inference",
        MaxPeakActivationBytes = 512 * 1024,
        MaxModelBytes = 2 * 1024 * 1024,
        BytesPerElement = 1,
    };

    /// <summary>Creates a profile for a CPU (a phone's or the current machine's) that limits float32 latency, predicted from a table measured on it.</summary>
    /// <param name="table">The latency table measured on the CPU (see <see cref="LatencyProfiler"/>).</param>
    /// <param name="maxLatencyMilliseconds">The most milliseconds per inference.</param>
    /// <returns>The profile, named after the table's processor.</returns>
    /// <remarks>Only latency is limited: a phone's memory is not the constraint for networks of this size. Typical budgets are tens of
    /// milliseconds per image (MnasNet, Tan et al., CVPR 2019, targets 75 ms on a Pixel phone's CPU).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLatencyMilliseconds"/> is not positive and finite.</exception>
    public static DeviceProfile MobileCpu(LatencyTable table, double maxLatencyMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new DeviceProfile
        {
            Name = "cpu",
            Description = $"CPU '{table.Metadata.ProcessorName}' with {table.Metadata.Threads} thread(s), float32, latency from a {table.Count}-entry table",
            MaxLatencyMilliseconds = maxLatencyMilliseconds,
            LatencyTable = table,
            BytesPerElement = 4,
        };
    }
}
