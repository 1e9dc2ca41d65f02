using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using NasKit.SearchSpace.Custom.Internal;

namespace NasKit.SearchSpace.Custom;

/// <summary>
/// Represents an architecture of a <see cref="CustomSearchSpace"/>: the value of every active label, with the text form
/// <c>label=value;label=value</c> (labels in ordinal order, values culture-invariant).
/// </summary>
/// <remarks>
/// Only active labels appear: a label that the definition does not reach for these values (a block beyond the chosen depth) has no
/// value. The text form is the canonical form, so two architectures are equal when every active label has the same value.
/// Instances are created by the space (sampling, parsing, neighbours, …) and are immutable.
/// </remarks>
public sealed class CustomArchitecture : Architecture
{
    private readonly ImmutableSortedDictionary<string, ChoiceRecord> _records;
    private readonly string _text;

    internal CustomArchitecture(CustomSearchSpace space, IEnumerable<ChoiceRecord> records)
    {
        Space = space;
        _records = records.ToImmutableSortedDictionary(r => r.Label, r => r, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var (label, record) in _records)
        {
            if (sb.Length > 0)
            {
                sb.Append(';');
            }

            sb.Append(label).Append('=').Append(record.Choice.Format(record.Code));
        }

        _text = sb.ToString();
        Labels = [.. _records.Keys];
    }

    /// <inheritdoc/>
    public override string SpaceName => Space.Name;

    /// <inheritdoc/>
    public override string CanonicalForm => _text;

    /// <summary>Gets the active labels, in ordinal order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Gets the space that created the architecture.</summary>
    internal CustomSearchSpace Space { get; }

    /// <summary>Gets the decisions, keyed by label.</summary>
    internal ImmutableSortedDictionary<string, ChoiceRecord> Records => _records;

    /// <summary>Gets the value of an active label, boxed (an <see cref="int"/>, <see cref="double"/>, <see cref="string"/>, the categorical type, or a sorted set of input indices).</summary>
    /// <param name="label">The label.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The label is not active in this architecture.</exception>
    public object this[string label] => Find(label).Choice.Box(Find(label).Code);

    /// <summary>Gets whether a label is active (has a value) in this architecture.</summary>
    /// <param name="label">The label.</param>
    /// <returns>Whether it is active.</returns>
    public bool IsActive(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return _records.ContainsKey(label);
    }

    /// <summary>Gets the value of an active label.</summary>
    /// <typeparam name="T">The value type of the label's choice.</typeparam>
    /// <param name="label">The label.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The label is not active in this architecture.</exception>
    /// <exception cref="InvalidCastException">The label's values are not of type <typeparamref name="T"/>.</exception>
    public T GetValue<T>(string label)
    {
        var value = this[label];
        return value is T typed
            ? typed
            : throw new InvalidCastException($"The label '{label}' holds values of type {value.GetType().Name}, not {typeof(T).Name}.");
    }

    /// <summary>Gets the value of a label when it is active and of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="label">The label.</param>
    /// <param name="value">The value, when found.</param>
    /// <returns>Whether the label is active with a value of type <typeparamref name="T"/>.</returns>
    public bool TryGetValue<T>(string label, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (_records.TryGetValue(label, out var record) && record.Choice.Box(record.Code) is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => _text;

    private ChoiceRecord Find(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return _records.TryGetValue(label, out var record)
            ? record
            : throw new KeyNotFoundException($"The label '{label}' is not active in the {SpaceName} architecture '{_text}'; active labels: {string.Join(", ", Labels)}.");
    }
}
