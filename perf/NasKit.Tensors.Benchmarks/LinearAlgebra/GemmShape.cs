namespace NasKit.Tensors.Benchmarks.LinearAlgebra;

/// <summary>The matrix shapes of <see cref="GemmBenchmarks"/>: C[M, N] = A[M, K] · B[K, N].</summary>
public enum GemmShape
{
    /// <summary>M = K = N = 64: fits in L1/L2; measures call and packing overhead.</summary>
    Square64 = 0,

    /// <summary>M = K = N = 256.</summary>
    Square256 = 1,

    /// <summary>M = K = N = 257: one past a power of two, so every blocked loop has a ragged edge.</summary>
    Square257 = 2,

    /// <summary>M = K = N = 512.</summary>
    Square512 = 3,

    /// <summary>M = 4096, K = 64, N = 64: tall, as an im2col convolution of a 64x64 feature map with 64 channels.</summary>
    Tall4096x64x64 = 4,

    /// <summary>M = 16, K = 1024, N = 1000: skinny, as a classifier head on a small batch.</summary>
    Skinny16x1024x1000 = 5,
}
