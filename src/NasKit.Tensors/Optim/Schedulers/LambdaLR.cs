namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>Represents a user-defined factor: lr = lr₀·f(t).</summary>
public sealed class LambdaLR : LearningRateScheduler
{
    private readonly Func<int, double> _factor;

    /// <summary>Initializes a new instance of the <see cref="LambdaLR"/> class.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="factor">The factor as a function of the step.</param>
    public LambdaLR(Optimizer optimizer, Func<int, double> factor)
        : base(optimizer, apply: false)
    {
        ArgumentNullException.ThrowIfNull(factor);
        _factor = factor;
        LoadStepCount(0);
    }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step) => initialLearningRate * _factor(step);
}
