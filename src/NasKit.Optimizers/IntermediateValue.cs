namespace NasKit.Optimizers;

/// <summary>A value reported by a running trial at one step (for example validation accuracy after an epoch).</summary>
/// <param name="Step">The step, from 0.</param>
/// <param name="Values">The reported values by metric name.</param>
public sealed record IntermediateValue(int Step, IReadOnlyDictionary<string, double> Values);
