namespace NasKit.Tensors.Benchmarks.Convolution;

/// <summary>The convolution layers of <see cref="Conv2dBenchmarks"/>; all take a batch of 8.</summary>
public enum Conv2dCase
{
    /// <summary>3x3, stride 1, padding 1, 16 → 16 channels, 32x32: the NAS-Bench-201 cell convolution.</summary>
    Conv3x3 = 0,

    /// <summary>1x1, 16 → 32 channels, 32x32: a pointwise (channel-mixing) convolution.</summary>
    Pointwise1x1 = 1,

    /// <summary>3x3 depthwise (16 groups of one channel), stride 1, padding 1, 32x32.</summary>
    Depthwise3x3 = 2,

    /// <summary>3x3, stride 2, padding 1, 16 → 32 channels, 32x32 → 16x16: a reduction-cell convolution.</summary>
    Stride2Conv3x3 = 3,

    /// <summary>3x3, stride 1, padding 1, 15 → 17 channels, 31x31, with bias: odd sizes everywhere.</summary>
    OddConv3x3 = 4,

    /// <summary>3x3, stride 1, padding 1, 64 → 64 channels, 8x8: the last NAS-Bench-201 stage (Winograd F(4x4, 3x3), hardware-gather input transform).</summary>
    Wide3x3 = 5,

    /// <summary>3x3, stride 1, padding 1, 33 → 47 channels, 27x27, with bias: Winograd F(4x4, 3x3) with partial tiles and channel blocks (permute input transform).</summary>
    OddWide3x3 = 6,
}
