namespace NasKit.Tensors.Internal.Backends.Cpu;

/// <summary>Which convolution kernels the CPU backend uses.</summary>
internal enum ConvolutionAlgorithm
{
    /// <summary>The fastest kernel measured for the geometry: Winograd F(2×2, 3×3) for 3×3 stride-1 layers (its weight gradient from 16×16 planes up), direct stride-1 kernels, else im2col + GEMM.</summary>
    Auto,

    /// <summary>Winograd F(2×2, 3×3) wherever it applies (forward, input and weight gradients), for tests and measurements.</summary>
    Winograd,

    /// <summary>Direct stride-1 kernels where they apply (no Winograd), im2col + GEMM elsewhere.</summary>
    Direct,

    /// <summary>Always im2col + GEMM (the reference path).</summary>
    Im2Col,
}
