namespace NasKit.Objectives.Evaluation;

/// <summary>A trial reporter that ignores every report and never prunes: for evaluations run outside a study.</summary>
public sealed class NullTrialReporter : ITrialReporter
{
    private NullTrialReporter()
    {
    }

    /// <summary>Gets the single instance.</summary>
    public static NullTrialReporter Instance { get; } = new();

    /// <inheritdoc/>
    /// <remarks>Always false.</remarks>
    public bool ShouldPrune => false;

    /// <inheritdoc/>
    public void Report(int step, IReadOnlyDictionary<string, double> values)
    {
    }
}
