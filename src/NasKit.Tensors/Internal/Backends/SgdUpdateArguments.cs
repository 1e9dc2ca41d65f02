namespace NasKit.Tensors.Internal.Backends;

/// <summary>The hyper-parameters of one fused SGD step (<see cref="ITensorBackend.SgdUpdate"/>).</summary>
/// <param name="LearningRate">The step size.</param>
/// <param name="Momentum">The momentum factor; 0 for plain SGD (the buffer is then not used).</param>
/// <param name="Dampening">The dampening of the momentum buffer's new term.</param>
/// <param name="WeightDecay">The L2 penalty added to the gradient.</param>
/// <param name="Nesterov">Whether the step uses Nesterov momentum.</param>
/// <param name="Maximize">Whether the objective is maximized (the gradient's sign flipped).</param>
/// <param name="InitializeBuffer">Whether this is the buffer's first step (it is set to the direction rather than updated).</param>
internal readonly record struct SgdUpdateArguments(
    float LearningRate,
    float Momentum,
    float Dampening,
    float WeightDecay,
    bool Nesterov,
    bool Maximize,
    bool InitializeBuffer);
