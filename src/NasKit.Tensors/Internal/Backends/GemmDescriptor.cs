namespace NasKit.Tensors.Internal.Backends;

/// <summary>
/// Describes a batch of row-major products C = alpha * op(A) * op(B) + beta * C, with op(X) = X or Xᵀ.
/// A is M×K (stored K×M when transposed), B is K×N (stored N×K when transposed), C is M×N.
/// Offsets and strides are in elements of the tensors' storage.
/// </summary>
internal readonly record struct GemmDescriptor(
    int M,
    int N,
    int K,
    bool TransA,
    bool TransB,
    int Lda,
    int Ldb,
    int Ldc,
    float Alpha = 1f,
    float Beta = 0f,
    int Batch = 1,
    int BatchStrideA = 0,
    int BatchStrideB = 0,
    int BatchStrideC = 0);
