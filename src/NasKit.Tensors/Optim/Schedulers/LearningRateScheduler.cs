namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>
/// Represents a learning-rate schedule: a closed-form function of each group's initial learning rate and the step count,
/// applied to the optimizer on construction (step 0) and on every <see cref="Step"/>.
/// </summary>
/// <remarks>
/// Whether a "step" is a batch or an epoch is up to the caller (call <see cref="Step"/> once per batch for per-step schedules).
/// Closed forms make a schedule resumable from its step count alone (<see cref="LoadStepCount"/>).
/// </remarks>
public abstract class LearningRateScheduler
{
    /// <summary>Initializes a new instance of the <see cref="LearningRateScheduler"/> class and applies step 0.</summary>
    /// <param name="optimizer">The optimizer whose groups are scheduled.</param>
    /// <param name="apply">Whether to apply step 0 now (false when wrapped by a composite scheduler).</param>
    protected LearningRateScheduler(Optimizer optimizer, bool apply = true)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        if (apply)
        {
            Apply();
        }
    }

    /// <summary>Gets the scheduled optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Gets the number of <see cref="Step"/> calls so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>Gets the learning rates currently set on the groups.</summary>
    public IReadOnlyList<double> CurrentLearningRates => Optimizer.Groups.Select(g => g.LearningRate).ToArray();

    /// <summary>Advances the schedule by one step and sets the new learning rates.</summary>
    public void Step()
    {
        StepCount++;
        Apply();
    }

    /// <summary>Restores the step count (for resuming) and sets the corresponding learning rates.</summary>
    /// <param name="stepCount">The number of steps already taken.</param>
    public void LoadStepCount(int stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        StepCount = stepCount;
        Apply();
    }

    /// <summary>Computes the learning rate of a group at <paramref name="step"/> from its initial learning rate.</summary>
    /// <param name="initialLearningRate">The group's initial learning rate.</param>
    /// <param name="step">The step.</param>
    /// <returns>The learning rate.</returns>
    public abstract double LearningRateAt(double initialLearningRate, int step);

    private void Apply()
    {
        foreach (var g in Optimizer.Groups)
        {
            g.LearningRate = LearningRateAt(g.InitialLearningRate, StepCount);
        }
    }
}
