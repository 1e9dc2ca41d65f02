namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>
/// Represents several schedules applied together: the learning rate is lr₀ times the product of each schedule's factor
/// (its rate divided by lr₀) at the same step.
/// </summary>
public sealed class ChainedScheduler : LearningRateScheduler
{
    private readonly LearningRateScheduler[] _schedulers;

    /// <summary>Initializes a new instance of the <see cref="ChainedScheduler"/> class.</summary>
    /// <param name="optimizer">The optimizer (the same one the parts schedule).</param>
    /// <param name="schedulers">The schedules.</param>
    public ChainedScheduler(Optimizer optimizer, IReadOnlyList<LearningRateScheduler> schedulers)
        : base(optimizer, apply: false)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        if (schedulers.Count == 0 || schedulers.Any(s => !ReferenceEquals(s.Optimizer, optimizer)))
        {
            throw new ArgumentException("ChainedScheduler needs at least one schedule, all for the same optimizer.", nameof(schedulers));
        }

        _schedulers = [.. schedulers];
        LoadStepCount(0);
    }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step)
    {
        if (initialLearningRate == 0)
        {
            return 0;
        }

        var lr = initialLearningRate;
        foreach (var s in _schedulers)
        {
            lr *= s.LearningRateAt(initialLearningRate, step) / initialLearningRate;
        }

        return lr;
    }
}
