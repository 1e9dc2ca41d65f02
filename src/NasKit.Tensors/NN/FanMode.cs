namespace NasKit.Tensors.NN;

/// <summary>Specifies which fan Kaiming initialisation preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>The fan-in: preserves the variance of activations in the forward pass.</summary>
    FanIn = 0,

    /// <summary>The fan-out: preserves the variance of gradients in the backward pass.</summary>
    FanOut = 1,
}
