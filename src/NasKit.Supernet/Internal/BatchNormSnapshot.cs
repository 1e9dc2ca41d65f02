using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Internal;

/// <summary>The momentum and running statistics of one batch norm, taken before recalibration so that a failed run can put them back.</summary>
internal sealed class BatchNormSnapshot
{
    private double? _momentum;
    private float[] _mean = [];
    private float[] _variance = [];
    private float[] _batches = [];

    public static BatchNormSnapshot Take(BatchNorm bn) => new()
    {
        _momentum = bn.Momentum,
        _mean = bn.RunningMean!.ToArray(),
        _variance = bn.RunningVar!.ToArray(),
        _batches = bn.NumBatchesTracked!.ToArray(),
    };

    public void Restore(BatchNorm bn, bool restoreStatistics)
    {
        bn.Momentum = _momentum;
        if (!restoreStatistics)
        {
            return;
        }

        using (Autograd.NoGrad())
        {
            bn.RunningMean!.CopyFrom(_mean);
            bn.RunningVar!.CopyFrom(_variance);
            bn.NumBatchesTracked!.CopyFrom(_batches);
        }
    }
}
