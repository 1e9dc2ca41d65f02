using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Gemm(in GemmDescriptor d, Tensor a, Tensor b, Tensor c)
    {
        var aData = a.Storage.Data;
        var bData = b.Storage.Data;
        var cData = c.Storage.Data;
        var desc = d;
        int ao = a.Offset, bo = b.Offset, co = c.Offset;
        if (desc.Batch == 1)
        {
            Sgemm.Compute(desc.TransA, desc.TransB, desc.M, desc.N, desc.K, desc.Alpha, aData, ao, desc.Lda, bData, bo, desc.Ldb, desc.Beta, cData, co, desc.Ldc);
            return;
        }

        // Many independent products: one thread per group of batch entries, each product single-threaded.
        CpuParallel.ForRange(desc.Batch, 1, (b0, b1) =>
        {
            for (var i = (int)b0; i < b1; i++)
            {
                Sgemm.Compute(desc.TransA, desc.TransB, desc.M, desc.N, desc.K, desc.Alpha,
                    aData, ao + (i * desc.BatchStrideA), desc.Lda,
                    bData, bo + (i * desc.BatchStrideB), desc.Ldb,
                    desc.Beta, cData, co + (i * desc.BatchStrideC), desc.Ldc);
            }
        });
    }
}
