namespace NasKit.Hardware.Latency;

/// <summary>Describes the latency of one timed unit of a network: a leaf module call, or the self-work of a module with children.</summary>
/// <param name="Name">The module's path in the network (<c>(model)</c> for the root).</param>
/// <param name="Signature">The unit's layer signature (see <see cref="LayerSignature"/>).</param>
/// <param name="Milliseconds">The median milliseconds from the table, or null when the table has no entry for the signature.</param>
/// <param name="IsSelfWork">Whether the unit is the work a module with children does itself rather than a leaf call.</param>
public sealed record LayerLatency(string Name, string Signature, double? Milliseconds, bool IsSelfWork);
