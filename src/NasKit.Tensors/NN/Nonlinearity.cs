namespace NasKit.Tensors.NN;

/// <summary>Specifies the nonlinearity whose recommended gain <see cref="Init.CalculateGain"/> returns.</summary>
public enum Nonlinearity
{
    /// <summary>Linear or identity (gain 1).</summary>
    Linear = 0,

    /// <summary>Convolution without nonlinearity (gain 1).</summary>
    Conv = 1,

    /// <summary>Sigmoid (gain 1).</summary>
    Sigmoid = 2,

    /// <summary>Tanh (gain 5/3).</summary>
    Tanh = 3,

    /// <summary>ReLU (gain √2).</summary>
    Relu = 4,

    /// <summary>Leaky ReLU with a negative slope (gain √(2/(1 + slope²))).</summary>
    LeakyRelu = 5,

    /// <summary>SELU (gain 3/4).</summary>
    Selu = 6,
}
