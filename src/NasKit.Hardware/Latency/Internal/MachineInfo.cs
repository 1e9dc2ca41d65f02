using System.Runtime.InteropServices;

namespace NasKit.Hardware.Latency.Internal;

/// <summary>Finds a human-readable processor name without platform-specific packages.</summary>
internal static class MachineInfo
{
    public static string ProcessorName()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                    {
                        var colon = line.IndexOf(':', StringComparison.Ordinal);
                        if (colon >= 0)
                        {
                            return line[(colon + 1)..].Trim();
                        }
                    }
                }
            }
        }
        catch (IOException)
        {
            // An unreadable cpuinfo is not an error: fall back to the architecture below.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
