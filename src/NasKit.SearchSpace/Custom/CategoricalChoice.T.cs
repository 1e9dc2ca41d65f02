using System.Collections.Immutable;
using NasKit.SearchSpace.Custom.Internal;

namespace NasKit.SearchSpace.Custom;

/// <summary>Represents a choice among explicit values, each written in text forms by its culture-invariant text.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class CategoricalChoice<T> : Choice<T>
    where T : notnull
{
    private readonly ImmutableArray<T> _values;
    private readonly ImmutableArray<string> _texts;

    /// <summary>Initializes a new instance of the <see cref="CategoricalChoice{T}"/> class.</summary>
    /// <param name="label">The label.</param>
    /// <param name="values">The values, at least one; their culture-invariant texts must be distinct and safe.</param>
    /// <exception cref="ArgumentException">The label or a value's text breaks the character rules, or two values share a text.</exception>
    public CategoricalChoice(string label, IEnumerable<T> values)
        : base(label)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = [.. values];
        if (_values.IsEmpty)
        {
            throw new ArgumentException($"The categorical choice '{label}' needs at least one value, but got none.", nameof(values));
        }

        if (_values.Length > MaxCount)
        {
            throw new ArgumentException($"The categorical choice '{label}' may have at most {MaxCount} values, but got {_values.Length}.", nameof(values));
        }

        var texts = new string[_values.Length];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Length; i++)
        {
            if (_values[i] is null)
            {
                throw new ArgumentException($"The categorical choice '{label}' cannot hold null, but value {i} is null.", nameof(values));
            }

            var text = TextRules.Format(_values[i]);
            if (!TextRules.IsValueText(text))
            {
                throw new ArgumentException($"Value {i} of the categorical choice '{label}' has the text '{text}': {TextRules.ValueRule}.", nameof(values));
            }

            if (!seen.TryAdd(text, i))
            {
                throw new ArgumentException($"Values {seen[text]} and {i} of the categorical choice '{label}' share the text '{text}'; each value needs its own text.", nameof(values));
            }

            texts[i] = text;
        }

        _texts = [.. texts];
    }

    /// <summary>Gets the values, in the order given (index 0 is the default).</summary>
    public IReadOnlyList<T> Values => _values;

    /// <inheritdoc/>
    public override int? Count => _values.Length;

    /// <inheritdoc/>
    internal override string Description => "one of " + string.Join(", ", _texts);

    /// <inheritdoc/>
    internal override string Signature => "categorical<" + typeof(T).FullName + ">(" + string.Join(",", _texts) + ")";

    /// <inheritdoc/>
    internal override T Decode(double code) => _values[(int)code];

    /// <inheritdoc/>
    internal override string Format(double code) => _texts[(int)code];
}
