namespace NasKit.Tensors;

/// <summary>Represents the result of a reduction that also reports positions, such as <see cref="Tensor.Max(int, bool)"/>.</summary>
/// <param name="Values">The reduced values (differentiable).</param>
/// <param name="Indices">The positions along the reduced dimension, as exact integers stored in float32.</param>
public readonly record struct ValuesAndIndices(Tensor Values, Tensor Indices);
