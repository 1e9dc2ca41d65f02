namespace NasKit.SearchSpace;

/// <summary>The exception thrown when a search space receives an architecture of another space.</summary>
public sealed class IncompatibleArchitectureException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="IncompatibleArchitectureException"/> class.</summary>
    public IncompatibleArchitectureException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IncompatibleArchitectureException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public IncompatibleArchitectureException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IncompatibleArchitectureException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IncompatibleArchitectureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IncompatibleArchitectureException"/> class for an architecture that a space cannot use.</summary>
    /// <param name="spaceName">The space that received the architecture.</param>
    /// <param name="architecture">The architecture.</param>
    /// <param name="parameterName">The parameter that held it.</param>
    public IncompatibleArchitectureException(string spaceName, Architecture architecture, string? parameterName)
        : base($"The {spaceName} search space cannot use a {architecture?.SpaceName ?? "null"} architecture ({architecture?.GetType().Name ?? "null"}: {architecture}).", parameterName)
    {
    }
}
