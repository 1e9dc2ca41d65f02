namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>
/// Represents schedules run one after another: schedule i runs from milestone i − 1 (or 0) with its own step count restarting at 0,
/// as PyTorch's <c>SequentialLR</c> (e.g. a <see cref="LinearLR"/> warm-up followed by <see cref="CosineAnnealingLR"/>).
/// </summary>
public sealed class SequentialLR : LearningRateScheduler
{
    private readonly LearningRateScheduler[] _schedulers;
    private readonly int[] _milestones;

    /// <summary>Initializes a new instance of the <see cref="SequentialLR"/> class.</summary>
    /// <param name="optimizer">The optimizer (the same one the parts schedule).</param>
    /// <param name="schedulers">The schedules in order.</param>
    /// <param name="milestones">The steps at which to switch; one fewer than the schedules, strictly increasing.</param>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LearningRateScheduler> schedulers, IReadOnlyList<int> milestones)
        : base(optimizer, apply: false)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentNullException.ThrowIfNull(milestones);
        if (schedulers.Count == 0 || milestones.Count != schedulers.Count - 1)
        {
            throw new ArgumentException($"SequentialLR needs one milestone fewer than schedules, but got {schedulers.Count} schedules and {milestones.Count} milestones.");
        }

        if (schedulers.Any(s => !ReferenceEquals(s.Optimizer, optimizer)))
        {
            throw new ArgumentException("Every part of a SequentialLR must schedule the same optimizer.", nameof(schedulers));
        }

        for (var i = 1; i < milestones.Count; i++)
        {
            if (milestones[i] <= milestones[i - 1])
            {
                throw new ArgumentException($"Milestones must be strictly increasing, but got [{string.Join(", ", milestones)}].", nameof(milestones));
            }
        }

        _schedulers = [.. schedulers];
        _milestones = [.. milestones];
        LoadStepCount(0);
    }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step)
    {
        var i = 0;
        while (i < _milestones.Length && step >= _milestones[i])
        {
            i++;
        }

        var local = i == 0 ? step : step - _milestones[i - 1];
        return _schedulers[i].LearningRateAt(initialLearningRate, local);
    }
}
