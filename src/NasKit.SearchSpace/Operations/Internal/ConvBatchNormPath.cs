using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations.Internal;

/// <summary>
/// Runs a convolution and the batch norm after it (optionally after a ReLU): one folded convolution during inference, with the ReLU
/// applied as it reads its input (<see cref="ConvBatchNormFolding"/>), the convolution (ReLU fused likewise,
/// <see cref="Conv2d.CallWithInputRelu"/>) and the batch norm otherwise. Each operation keeps its folding in a field; a field copied into a cloned module still points at the
/// original's modules, so it is replaced on first use and never disposed by the clone.
/// </summary>
internal static class ConvBatchNormPath
{
    public static Tensor Run(ref ConvBatchNormFolding? folding, bool training, Conv2d convolution, BatchNorm2d batchNorm, Tensor input, bool reluInput = false)
    {
        if (!training && !Autograd.IsGradEnabled && batchNorm.RunningMean is not null)
        {
            if (folding is null || !ReferenceEquals(folding.Convolution, convolution))
            {
                folding = new ConvBatchNormFolding(convolution, batchNorm);
            }

            if (folding.IsApplicable)
            {
                return folding.Forward(input, reluInput);
            }
        }

        using var c = reluInput ? convolution.CallWithInputRelu(input) : convolution.Call(input);
        return batchNorm.Call(c);
    }

    public static void Release(ref ConvBatchNormFolding? folding, Conv2d convolution)
    {
        if (folding is not null && ReferenceEquals(folding.Convolution, convolution))
        {
            folding.Dispose();
        }

        folding = null;
    }
}
