namespace NasKit.Tensors.Internal.Backends.Cpu;

/// <summary>Which convolution kernels the CPU backend uses.</summary>
internal enum ConvolutionAlgorithm
{
    /// <summary>Direct kernels where they apply (stride 1, ungrouped, AVX-512), im2col + GEMM elsewhere.</summary>
    Auto,

    /// <summary>Always im2col + GEMM (the reference path).</summary>
    Im2Col,
}
