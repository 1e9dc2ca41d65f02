namespace NasKit.Hardware.Latency;

/// <summary>Represents a latency-table file that is not valid JSON or does not follow the format (see <c>docs/latency-lut.md</c>).</summary>
public sealed class LatencyTableFormatException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="LatencyTableFormatException"/> class.</summary>
    public LatencyTableFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LatencyTableFormatException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public LatencyTableFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LatencyTableFormatException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public LatencyTableFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LatencyTableFormatException"/> class that points at a place in the file.</summary>
    /// <param name="message">The message, which already names the place.</param>
    /// <param name="path">The JSON path of the offending field (for example <c>$.measurement.repeats</c>), or null.</param>
    /// <param name="lineNumber">The 1-based line of a syntax error, or null.</param>
    /// <param name="innerException">The cause, or null.</param>
    public LatencyTableFormatException(string message, string? path, long? lineNumber, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the JSON path of the offending field, or null when the error is not tied to one field.</summary>
    public string? Path { get; }

    /// <summary>Gets the 1-based line of a JSON syntax error, or null when the JSON parsed.</summary>
    public long? LineNumber { get; }
}
