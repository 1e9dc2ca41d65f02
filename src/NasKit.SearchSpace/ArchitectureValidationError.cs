namespace NasKit.SearchSpace;

/// <summary>Represents one problem found by <see cref="ISearchSpace.Validate"/>.</summary>
/// <param name="Location">Where in the architecture the problem is (for example <c>edge 2&lt;-1</c> or <c>stage 3, layer 2</c>).</param>
/// <param name="Message">The rule that is broken and the actual value.</param>
public sealed record ArchitectureValidationError(string Location, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Location.Length == 0 ? Message : Location + ": " + Message;
}
