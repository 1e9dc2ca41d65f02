using System.Globalization;

namespace NasKit.SearchSpace;

/// <summary>The exception thrown when an architecture's text form cannot be parsed; it says where the text broke.</summary>
public sealed class ArchitectureFormatException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="ArchitectureFormatException"/> class.</summary>
    public ArchitectureFormatException()
        : this("The architecture text could not be parsed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ArchitectureFormatException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public ArchitectureFormatException(string message)
        : base(message)
    {
        Text = string.Empty;
        Position = -1;
    }

    /// <summary>Initializes a new instance of the <see cref="ArchitectureFormatException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ArchitectureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Text = string.Empty;
        Position = -1;
    }

    /// <summary>Initializes a new instance of the <see cref="ArchitectureFormatException"/> class for a problem at a position of a text.</summary>
    /// <param name="spaceName">The search space whose text form was expected.</param>
    /// <param name="text">The text that failed to parse.</param>
    /// <param name="position">The zero-based character index where the problem was found.</param>
    /// <param name="reason">What is wrong there, stated as a rule and the actual value.</param>
    public ArchitectureFormatException(string spaceName, string text, int position, string reason)
        : base(Describe(spaceName, text, position, reason))
    {
        Text = text ?? string.Empty;
        Position = position;
        Reason = reason;
    }

    /// <summary>Gets the text that failed to parse (empty when not known).</summary>
    public string Text { get; }

    /// <summary>Gets the zero-based character index of the problem, or -1 when not known.</summary>
    public int Position { get; }

    /// <summary>Gets the reason without the position and excerpt (null when not known).</summary>
    public string? Reason { get; }

    private static string Describe(string spaceName, string text, int position, string reason)
    {
        text ??= string.Empty;
        var at = Math.Clamp(position, 0, text.Length);
        const int Context = 24;
        var start = Math.Max(0, at - Context);
        var end = Math.Min(text.Length, at + Context);
        var excerpt = (start > 0 ? "…" : string.Empty) + text[start..end] + (end < text.Length ? "…" : string.Empty);
        var caret = new string(' ', (start > 0 ? 1 : 0) + (at - start)) + "^";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Invalid {spaceName} architecture at position {position}: {reason}{Environment.NewLine}  {excerpt}{Environment.NewLine}  {caret}");
    }
}
