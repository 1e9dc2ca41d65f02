namespace NasKit.Tensors.Internal.Backends;

/// <summary>Element-wise unary kernels. Parameters travel in (alpha, beta) as noted.</summary>
internal enum UnaryOp
{
    Neg,
    Exp,
    Log,
    Sqrt,
    Rsqrt,
    Abs,
    Square,
    Reciprocal,
    Sign,
    Floor,
    Ceil,
    Round,
    Sin,
    Cos,
    Log1p,
    Expm1,

    /// <summary>x^alpha.</summary>
    Pow,

    /// <summary>alpha * x + beta.</summary>
    Affine,

    /// <summary>clamp(x, alpha, beta); NaN bounds mean unbounded.</summary>
    Clamp,
    Sigmoid,
    Tanh,
    Relu,
    Relu6,

    /// <summary>x for x &gt; 0, alpha * x otherwise.</summary>
    LeakyRelu,

    /// <summary>x for x &gt; 0, alpha * (exp(x) - 1) otherwise.</summary>
    Elu,
    Hardswish,
    Hardsigmoid,
    Silu,

    /// <summary>Exact (erf) GELU.</summary>
    Gelu,

    /// <summary>Tanh-approximated GELU.</summary>
    GeluTanh,

    /// <summary>log(1 + exp(alpha * x)) / alpha, linear above beta (PyTorch's softplus with beta=alpha, threshold=beta).</summary>
    Softplus,
}
