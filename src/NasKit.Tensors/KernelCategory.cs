namespace NasKit.Tensors;

/// <summary>Classifies the kernel calls that an <see cref="ExecutionTracer"/> records.</summary>
public enum KernelCategory
{
    /// <summary>A convolution (forward or gradient).</summary>
    Convolution,

    /// <summary>A matrix multiplication (linear layers, matmul, bmm).</summary>
    MatrixMultiply,

    /// <summary>Max, average and adaptive pooling.</summary>
    Pooling,

    /// <summary>Batch and layer normalisation.</summary>
    Normalization,

    /// <summary>Activation functions (ReLU, hard-swish, sigmoid, GELU and the like).</summary>
    Activation,

    /// <summary>Element-wise arithmetic and comparisons (add, multiply, exp, where and the like).</summary>
    Elementwise,

    /// <summary>Reductions, softmax and losses.</summary>
    Reduction,

    /// <summary>Copies, fills, padding and indexing: data movement without arithmetic.</summary>
    Memory,
}
