namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>
/// Represents a linear ramp of the factor from <see cref="StartFactor"/> to <see cref="EndFactor"/> over <see cref="TotalSteps"/>
/// steps, then constant: lr = lr₀·(s + (e − s)·min(t, T)/T). With s &lt; 1 and e = 1 it is a linear warm-up.
/// </summary>
public sealed class LinearLR : LearningRateScheduler
{
    /// <summary>Initializes a new instance of the <see cref="LinearLR"/> class (defaults as PyTorch: 1/3 to 1 over 5 steps).</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="startFactor">The factor at step 0; in (0, 1].</param>
    /// <param name="endFactor">The factor from step T on; in [0, 1].</param>
    /// <param name="totalSteps">T; positive.</param>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalSteps = 5)
        : base(optimizer, apply: false)
    {
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "The start factor must be in (0, 1].");
        }

        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "The end factor must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalSteps = totalSteps;
        LoadStepCount(0);
    }

    /// <summary>Gets the factor at step 0.</summary>
    public double StartFactor { get; }

    /// <summary>Gets the final factor.</summary>
    public double EndFactor { get; }

    /// <summary>Gets T.</summary>
    public int TotalSteps { get; }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step) =>
        initialLearningRate * (StartFactor + ((EndFactor - StartFactor) * Math.Min(step, TotalSteps) / TotalSteps));
}
