namespace NasKit.SearchSpace.Custom;

/// <summary>Represents a labelled decision whose values have the type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The value type.</typeparam>
public abstract class Choice<T> : Choice
    where T : notnull
{
    private protected Choice(string label)
        : base(label)
    {
    }

    /// <summary>Returns the value of a code.</summary>
    /// <param name="code">A valid code.</param>
    /// <returns>The value.</returns>
    internal abstract T Decode(double code);

    /// <inheritdoc/>
    internal override object Box(double code) => Decode(code);
}
