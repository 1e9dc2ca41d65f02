namespace NasKit.Tensors.Internal.Backends;

/// <summary>Element-wise binary kernels with NumPy broadcasting.</summary>
internal enum BinaryOp
{
    /// <summary>a + alpha * b.</summary>
    Add,

    /// <summary>a - alpha * b.</summary>
    Sub,
    Mul,
    Div,
    Maximum,
    Minimum,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}
