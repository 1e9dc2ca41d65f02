namespace NasKit.Tensors;

/// <summary>Represents a snapshot of a <see cref="Generator"/>, for checkpointing and exact resumption.</summary>
/// <param name="S0">First word of the xoshiro256** state.</param>
/// <param name="S1">Second word of the xoshiro256** state.</param>
/// <param name="S2">Third word of the xoshiro256** state.</param>
/// <param name="S3">Fourth word of the xoshiro256** state.</param>
/// <param name="Seed">The seed the generator was last seeded with.</param>
public readonly record struct GeneratorState(ulong S0, ulong S1, ulong S2, ulong S3, long Seed);
