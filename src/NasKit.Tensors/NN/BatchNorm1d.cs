using NasKit.Tensors.Internal;

namespace NasKit.Tensors.NN;

/// <summary>Represents batch normalisation for [N, C] or [N, C, L] inputs (PyTorch's <c>nn.BatchNorm1d</c>).</summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Initializes a new instance of the <see cref="BatchNorm1d"/> class.</summary>
    /// <param name="numFeatures">The number of channels.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    /// <param name="momentum">The running-statistics update factor, or null for a cumulative moving average.</param>
    /// <param name="affine">Whether to learn a scale and shift.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics.</param>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    /// <inheritdoc />
    protected override void CheckInput(Tensor input)
    {
        if (input.Rank is not (2 or 3))
        {
            ThrowHelper.ThrowArgument($"BatchNorm1d expects an input of shape [N, C] or [N, C, L], but got {ThrowHelper.FormatShape(input.ShapeSpan)}.", nameof(input));
        }
    }
}
