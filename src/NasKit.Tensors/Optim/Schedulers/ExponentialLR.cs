namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>Represents exponential decay: lr = lr₀·γᵗ.</summary>
public sealed class ExponentialLR : LearningRateScheduler
{
    /// <summary>Initializes a new instance of the <see cref="ExponentialLR"/> class.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="gamma">The per-step factor.</param>
    public ExponentialLR(Optimizer optimizer, double gamma)
        : base(optimizer, apply: false)
    {
        Gamma = gamma;
        LoadStepCount(0);
    }

    /// <summary>Gets the per-step factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step) => initialLearningRate * Math.Pow(Gamma, step);
}
