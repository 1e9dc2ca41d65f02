namespace NasKit.Tensors.Benchmarks;

/// <summary>Selects which part of a training step a benchmark measures.</summary>
public enum Pass
{
    /// <summary>The forward computation only, with gradient recording off.</summary>
    Forward = 0,

    /// <summary>The forward computation with gradient recording, followed by the backward pass.</summary>
    ForwardBackward = 1,
}
