namespace NasKit.Optimizers.OneShot;

/// <summary>The exception thrown when a one-shot search finds a checkpoint written by a search with other settings or data; the file is
/// left as it is.</summary>
public sealed class CheckpointMismatchException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="CheckpointMismatchException"/> class.</summary>
    public CheckpointMismatchException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CheckpointMismatchException"/> class with a message.</summary>
    /// <param name="message">What differs, and what to do.</param>
    public CheckpointMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CheckpointMismatchException"/> class with a message and a cause.</summary>
    /// <param name="message">What differs, and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public CheckpointMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
