namespace NasKit.Objectives.Evaluation;

/// <summary>
/// The exception thrown when an evaluation fails for a reason tied to the candidate (a diverging loss, a time budget exceeded, a
/// transient resource failure): the trial is recorded as failed with <see cref="Exception.Message"/> as the reason.
/// </summary>
public sealed class EvaluationFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationFailedException"/> class.</summary>
    public EvaluationFailedException()
        : base("The evaluation failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationFailedException"/> class with the reason.</summary>
    /// <param name="message">Why the evaluation failed.</param>
    public EvaluationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationFailedException"/> class with the reason and its cause.</summary>
    /// <param name="message">Why the evaluation failed.</param>
    /// <param name="innerException">The cause.</param>
    public EvaluationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
