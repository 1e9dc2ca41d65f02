using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace NasKit.Optimizers.Distributions;

/// <summary>Represents a hyper-parameter that takes one of a list of choices (Optuna's <c>CategoricalDistribution</c>); its internal
/// value is the choice's index.</summary>
/// <remarks>
/// <para>Choices are all of one type: <see cref="string"/>, <see cref="int"/>, <see cref="double"/> (finite) or <see cref="bool"/>; at
/// least one, no two equal. Two distributions are equal when they have equal choices of the same type in the same order.</para>
/// </remarks>
public sealed record CategoricalDistribution : ParameterDistribution
{
    private readonly ImmutableArray<object> _choices;

    /// <summary>Initializes a new instance of the <see cref="CategoricalDistribution"/> class.</summary>
    /// <param name="choices">The choices, in order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="choices"/> is null.</exception>
    /// <exception cref="ArgumentException">A choice is null, there is no choice, a choice has an unsupported type or another type than the first, a
    /// double is not finite, or two choices are equal; the message names the offending choices.</exception>
    public CategoricalDistribution(IReadOnlyList<object> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0)
        {
            throw new ArgumentException("A categorical parameter needs at least one choice, but got none.", nameof(choices));
        }

        var type = choices[0]?.GetType() ?? throw new ArgumentException("Choice 0 is null; choices must not be null.", nameof(choices));
        if (TypeName(type) is null)
        {
            throw new ArgumentException($"Categorical choices must be string, int, double or bool, but choice 0 is a {type.Name}.", nameof(choices));
        }

        for (var i = 0; i < choices.Count; i++)
        {
            var choice = choices[i] ?? throw new ArgumentException($"Choice {i} is null; choices must not be null.", nameof(choices));
            if (choice.GetType() != type)
            {
                throw new ArgumentException($"Categorical choices must all have one type, but choice 0 is a {type.Name} and choice {i} is a {choice.GetType().Name}.", nameof(choices));
            }

            if (choice is double d && !double.IsFinite(d))
            {
                throw new ArgumentException($"Categorical double choices must be finite, but choice {i} is {d.ToString(CultureInfo.InvariantCulture)}.", nameof(choices));
            }

            for (var j = 0; j < i; j++)
            {
                if (Equals(choices[j], choice))
                {
                    throw new ArgumentException($"Categorical choices must be distinct, but choices {j} and {i} are both '{Text(choice)}'.", nameof(choices));
                }
            }
        }

        _choices = [.. choices];
        ChoiceType = type;
    }

    /// <summary>Gets the choices, in order.</summary>
    public IReadOnlyList<object> Choices => _choices;

    /// <summary>Gets the type of the choices.</summary>
    public Type ChoiceType { get; }

    /// <inheritdoc/>
    public override bool IsSingle => _choices.Length == 1;

    /// <summary>Creates a distribution over typed choices.</summary>
    /// <typeparam name="T">The choice type: <see cref="string"/>, <see cref="int"/>, <see cref="double"/> or <see cref="bool"/>.</typeparam>
    /// <param name="choices">The choices, in order.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="choices"/> is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="CategoricalDistribution(IReadOnlyList{object})"/>.</exception>
    public static CategoricalDistribution Of<T>(IReadOnlyList<T> choices)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(choices);
        return new CategoricalDistribution(choices.Select(c => (object)c).ToArray());
    }

    /// <summary>Finds the index of a choice.</summary>
    /// <param name="choice">The choice.</param>
    /// <returns>Its index, or −1 when it is not a choice (a value of another type never is).</returns>
    public int IndexOf(object? choice)
    {
        for (var i = 0; i < _choices.Length; i++)
        {
            if (Equals(_choices[i], choice))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc/>
    public override bool Contains(double value) => value >= 0 && value < _choices.Length && Math.Floor(value) == value;

    /// <inheritdoc/>
    public override object ToExternal(double value) =>
        Contains(value) ? _choices[(int)value] : throw new ArgumentOutOfRangeException(nameof(value), value, $"The index {Format(value)} is not in {this}.");

    /// <summary>Determines whether another distribution has the same choices, of the same type, in the same order.</summary>
    /// <param name="other">The other distribution.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(CategoricalDistribution? other) =>
        other is not null && ChoiceType == other.ChoiceType && _choices.SequenceEqual(other._choices);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ChoiceType);
        foreach (var c in _choices)
        {
            hash.Add(c);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns a short text such as <c>categorical string [adam, sgd]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"categorical {TypeName(ChoiceType)} [{string.Join(", ", _choices.Select(Text))}]";

    /// <summary>Reads the categorical form written by <see cref="WriteJson"/>.</summary>
    /// <param name="root">The JSON object.</param>
    /// <returns>The distribution.</returns>
    internal static CategoricalDistribution FromJson(JsonElement root)
    {
        var valueType = Property(root, "valueType").GetString();
        var choices = Property(root, "choices").EnumerateArray().Select(e => valueType switch
        {
            "string" => (object)(e.GetString() ?? throw new FormatException("A string choice is null.")),
            "int" => e.GetInt32(),
            "double" => e.GetDouble(),
            "bool" => e.GetBoolean(),
            _ => throw new FormatException($"Unknown categorical value type '{valueType}'; expected string, int, double or bool."),
        }).ToArray();
        return new CategoricalDistribution(choices);
    }

    /// <inheritdoc/>
    private protected override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteString("type", "categorical");
        writer.WriteString("valueType", TypeName(ChoiceType));
        writer.WriteStartArray("choices");
        foreach (var c in _choices)
        {
            switch (c)
            {
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case int i:
                    writer.WriteNumberValue(i);
                    break;
                case double d:
                    writer.WriteNumberValue(d);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
            }
        }

        writer.WriteEndArray();
    }

    private static string? TypeName(Type type) =>
        type == typeof(string) ? "string" : type == typeof(int) ? "int" : type == typeof(double) ? "double" : type == typeof(bool) ? "bool" : null;

    private static string Text(object choice) => choice switch
    {
        double d => Format(d),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(choice, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
