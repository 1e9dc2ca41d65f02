namespace NasKit.Tensors.Internal.Backends;

/// <summary>Shapes and hyper-parameters of one 2-D pooling, validated by the caller. Batch and channels are fused into Planes.</summary>
internal readonly record struct Pool2dGeometry(
    int Planes,
    int InHeight,
    int InWidth,
    int OutHeight,
    int OutWidth,
    int KernelH,
    int KernelW,
    int StrideH,
    int StrideW,
    int PadH,
    int PadW,
    int DilationH = 1,
    int DilationW = 1);
