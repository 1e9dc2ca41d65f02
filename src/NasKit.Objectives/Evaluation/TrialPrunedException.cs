namespace NasKit.Objectives.Evaluation;

/// <summary>
/// The exception an evaluator throws to stop a trial that its <see cref="ITrialReporter"/> asked to prune; the study records the trial as
/// pruned, with the values reported so far.
/// </summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TrialPrunedException"/> class.</summary>
    public TrialPrunedException()
        : base("The trial was pruned.")
    {
        Step = -1;
    }

    /// <summary>Initializes a new instance of the <see cref="TrialPrunedException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public TrialPrunedException(string message)
        : base(message)
    {
        Step = -1;
    }

    /// <summary>Initializes a new instance of the <see cref="TrialPrunedException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrialPrunedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Step = -1;
    }

    /// <summary>Initializes a new instance of the <see cref="TrialPrunedException"/> class for a trial pruned after a step.</summary>
    /// <param name="step">The last step reported before pruning.</param>
    public TrialPrunedException(int step)
        : base($"The trial was pruned after step {step}.")
    {
        Step = step;
    }

    /// <summary>Gets the last step reported before pruning, or -1 when not known.</summary>
    public int Step { get; }
}
