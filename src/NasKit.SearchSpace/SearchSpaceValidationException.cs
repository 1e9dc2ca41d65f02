namespace NasKit.SearchSpace;

/// <summary>The exception thrown when an architecture (or a space definition) breaks one or more rules; it lists every problem.</summary>
public sealed class SearchSpaceValidationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SearchSpaceValidationException"/> class.</summary>
    public SearchSpaceValidationException()
        : this("The architecture is not valid in its search space.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SearchSpaceValidationException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public SearchSpaceValidationException(string message)
        : base(message) => Errors = [];

    /// <summary>Initializes a new instance of the <see cref="SearchSpaceValidationException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SearchSpaceValidationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Initializes a new instance of the <see cref="SearchSpaceValidationException"/> class listing every problem.</summary>
    /// <param name="subject">What was validated (for example the architecture's text form).</param>
    /// <param name="errors">The problems; at least one.</param>
    public SearchSpaceValidationException(string subject, IReadOnlyList<ArchitectureValidationError> errors)
        : base(Describe(subject, errors)) => Errors = errors;

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<ArchitectureValidationError> Errors { get; }

    private static string Describe(string subject, IReadOnlyList<ArchitectureValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? $"{subject} is not valid: {errors[0]}"
            : $"{subject} is not valid ({errors.Count} problems):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
    }
}
