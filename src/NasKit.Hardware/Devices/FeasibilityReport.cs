namespace NasKit.Hardware.Devices;

/// <summary>Holds whether a network fits a <see cref="DeviceProfile"/>, with one <see cref="LimitCheck"/> per limit the profile sets.</summary>
/// <param name="DeviceName">The profile's name.</param>
/// <param name="Checks">The checks, in the order of <see cref="DeviceLimit"/>.</param>
public sealed record FeasibilityReport(string DeviceName, IReadOnlyList<LimitCheck> Checks)
{
    /// <summary>Gets whether every limit holds.</summary>
    public bool IsFeasible => Checks.All(c => c.Passed);

    /// <summary>Gets the checks that failed.</summary>
    public IReadOnlyList<LimitCheck> Failures => Checks.Where(c => !c.Passed).ToList();

    /// <summary>Gets one human-readable line per failed limit.</summary>
    public IReadOnlyList<string> Reasons => Checks.Where(c => !c.Passed).Select(c => c.Reason!).ToList();

    /// <summary>Gets the check of one limit, or null when the profile does not set it.</summary>
    /// <param name="limit">The limit.</param>
    /// <returns>The check, or null.</returns>
    public LimitCheck? this[DeviceLimit limit] => Checks.FirstOrDefault(c => c.Limit == limit);

    /// <summary>Returns a one-line summary: feasible, or infeasible with every reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        IsFeasible ? $"feasible on {DeviceName}" : $"infeasible on {DeviceName}: {string.Join("; ", Reasons)}";
}
