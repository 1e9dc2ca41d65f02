namespace NasKit.Tensors.Optim;

/// <summary>
/// Represents an optimizer's state for checkpointing: per-parameter tensors (e.g. <c>state.3.momentum_buffer</c>, where 3 is the
/// parameter's position across all groups) and scalars (e.g. <c>state.3.step</c>, <c>param_groups.0.lr</c>).
/// </summary>
/// <param name="Tensors">The state tensors by key.</param>
/// <param name="Scalars">The scalar values by key.</param>
public sealed record OptimizerState(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, double> Scalars);
