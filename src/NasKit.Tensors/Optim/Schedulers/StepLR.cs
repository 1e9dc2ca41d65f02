namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>Represents decay by <see cref="Gamma"/> every <see cref="StepSize"/> steps: lr = lr₀·γ^⌊t/stepSize⌋.</summary>
public sealed class StepLR : LearningRateScheduler
{
    /// <summary>Initializes a new instance of the <see cref="StepLR"/> class.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="stepSize">The period; positive.</param>
    /// <param name="gamma">The decay factor.</param>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer, apply: false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        StepSize = stepSize;
        Gamma = gamma;
        LoadStepCount(0);
    }

    /// <summary>Gets the period.</summary>
    public int StepSize { get; }

    /// <summary>Gets the decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step) => initialLearningRate * Math.Pow(Gamma, step / StepSize);
}
