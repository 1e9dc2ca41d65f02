namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>
/// Represents cosine annealing from each group's initial rate to <see cref="MinLearningRate"/> over <see cref="TotalSteps"/>
/// steps: lr = η_min + (lr₀ − η_min)·(1 + cos(π·t/T))/2 (the closed form of PyTorch's <c>CosineAnnealingLR</c>; it keeps
/// following the cosine after T).
/// </summary>
public sealed class CosineAnnealingLR : LearningRateScheduler
{
    /// <summary>Initializes a new instance of the <see cref="CosineAnnealingLR"/> class.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="totalSteps">T, the number of steps to reach the minimum; positive.</param>
    /// <param name="minLearningRate">η_min.</param>
    public CosineAnnealingLR(Optimizer optimizer, int totalSteps, double minLearningRate = 0)
        : base(optimizer, apply: false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(minLearningRate);
        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
        LoadStepCount(0);
    }

    /// <summary>Gets T.</summary>
    public int TotalSteps { get; }

    /// <summary>Gets η_min.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step) =>
        MinLearningRate + ((initialLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * step / TotalSteps)) / 2);
}
