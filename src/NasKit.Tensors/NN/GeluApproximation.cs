namespace NasKit.Tensors.NN;

/// <summary>Specifies how GELU is computed.</summary>
public enum GeluApproximation
{
    /// <summary>The exact form x·Φ(x) with the Gaussian CDF (PyTorch's default, <c>approximate='none'</c>).</summary>
    None = 0,

    /// <summary>The tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    Tanh = 1,
}
