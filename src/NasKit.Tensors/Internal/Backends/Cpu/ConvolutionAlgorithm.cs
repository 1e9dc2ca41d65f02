namespace NasKit.Tensors.Internal.Backends.Cpu;

/// <summary>Which convolution kernels the CPU backend uses.</summary>
internal enum ConvolutionAlgorithm
{
    /// <summary>The fastest kernel measured for the geometry: for 3×3 stride-1 layers Winograd F(4×4, 3×3) (forward and input gradient from 32 input and output channels on, weight gradient from 64), else F(2×2, 3×3) (weight gradient from 8×8 planes up); direct stride-1 kernels; else im2col + GEMM.</summary>
    Auto,

    /// <summary>The automatic choice without Winograd F(4×4, 3×3) (the default before it was added), for A/B measurements.</summary>
    AutoF2,

    /// <summary>Winograd F(4×4, 3×3) wherever it applies (forward, input and weight gradients), for tests and measurements.</summary>
    Winograd4,

    /// <summary>Winograd F(2×2, 3×3) wherever it applies (forward, input and weight gradients), for tests and measurements.</summary>
    Winograd,

    /// <summary>Direct stride-1 kernels where they apply (no Winograd), im2col + GEMM elsewhere.</summary>
    Direct,

    /// <summary>Always im2col + GEMM (the reference path).</summary>
    Im2Col,
}
