namespace NasKit.Tensors.Optim.Schedulers;

/// <summary>Represents decay by <see cref="Gamma"/> at each milestone: lr = lr₀·γ^(number of milestones ≤ t).</summary>
public sealed class MultiStepLR : LearningRateScheduler
{
    private readonly int[] _milestones;

    /// <summary>Initializes a new instance of the <see cref="MultiStepLR"/> class.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="milestones">The steps at which to decay; increasing.</param>
    /// <param name="gamma">The decay factor.</param>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1)
        : base(optimizer, apply: false)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = [.. milestones];
        for (var i = 1; i < _milestones.Length; i++)
        {
            if (_milestones[i] <= _milestones[i - 1])
            {
                throw new ArgumentException($"Milestones must be strictly increasing, but got [{string.Join(", ", _milestones)}].", nameof(milestones));
            }
        }

        Gamma = gamma;
        LoadStepCount(0);
    }

    /// <summary>Gets a copy of the milestones.</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <summary>Gets the decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRateAt(double initialLearningRate, int step) =>
        initialLearningRate * Math.Pow(Gamma, _milestones.Count(m => m <= step));
}
