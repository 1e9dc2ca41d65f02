namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Represents what an evaluator sees of the running trial: a place to report intermediate values (for example the validation accuracy
/// after each epoch) and the pruner's verdict on them.
/// </summary>
/// <remarks>
/// An evaluator that trains in steps calls <see cref="Report"/> after each step and then reads <see cref="ShouldPrune"/>; when it is
/// true the evaluator stops and throws <see cref="TrialPrunedException"/>. Implementations live with the study (NasKit.Optimizers);
/// <see cref="NullTrialReporter"/> ignores reports and never prunes.
/// </remarks>
public interface ITrialReporter
{
    /// <summary>Gets whether the trial should stop now, judged on the values reported so far.</summary>
    bool ShouldPrune { get; }

    /// <summary>Reports intermediate values at a step (for example an epoch number).</summary>
    /// <param name="step">The step, at least 0; steps of one trial increase.</param>
    /// <param name="values">The values by metric name.</param>
    void Report(int step, IReadOnlyDictionary<string, double> values);
}
