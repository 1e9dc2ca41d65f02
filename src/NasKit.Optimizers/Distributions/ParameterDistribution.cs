using System.Globalization;
using System.Text.Json;

namespace NasKit.Optimizers.Distributions;

/// <summary>
/// Represents the domain of one hyper-parameter suggested on a trial: an integer range (<see cref="IntDistribution"/>), a real range
/// (<see cref="FloatDistribution"/>) or a list of choices (<see cref="CategoricalDistribution"/>), with Optuna's rules.
/// </summary>
/// <remarks>
/// <para><b>Internal representation.</b> Stores and samplers handle every value as a <see cref="double"/>: the number itself for integer
/// and real ranges, the choice's index for categorical distributions. <see cref="ToExternal"/> turns it into the value the user sees.</para>
/// <para><b>Text form.</b> <see cref="ToJson"/> writes a stable, culture-invariant JSON object (the form the trial stores keep) and
/// <see cref="FromJson"/> reads it back into an equal distribution.</para>
/// <para>Distributions are immutable and compare by value.</para>
/// </remarks>
public abstract record ParameterDistribution
{
    private protected ParameterDistribution()
    {
    }

    /// <summary>Gets whether the distribution holds exactly one value (a study then stores that value without sampling).</summary>
    public abstract bool IsSingle { get; }

    /// <summary>Gets whether an internal value (a number, or a choice index) belongs to the distribution.</summary>
    /// <param name="value">The internal value.</param>
    /// <returns>Whether it lies in the domain (on the grid, for stepped distributions).</returns>
    public abstract bool Contains(double value);

    /// <summary>Converts an internal value into the value the user sees (an <see cref="int"/>, a <see cref="double"/>, or the choice).</summary>
    /// <param name="value">The internal value.</param>
    /// <returns>The external value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value does not belong to the distribution.</exception>
    public abstract object ToExternal(double value);

    /// <summary>Writes the distribution as a compact, culture-invariant JSON object, for example
    /// <c>{"type":"float","low":1E-05,"high":0.1,"step":null,"log":true}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteJson(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a distribution from the JSON text <see cref="ToJson"/> writes.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a distribution's JSON form; the message quotes it and says what is wrong.</exception>
    public static ParameterDistribution FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var type = Property(root, "type").GetString();
            return type switch
            {
                "int" => new IntDistribution(Property(root, "low").GetInt32(), Property(root, "high").GetInt32(), Property(root, "step").GetInt32(),
                    Property(root, "log").GetBoolean()),
                "float" => new FloatDistribution(Property(root, "low").GetDouble(), Property(root, "high").GetDouble(),
                    Property(root, "step").ValueKind == JsonValueKind.Null ? null : Property(root, "step").GetDouble(), Property(root, "log").GetBoolean()),
                "categorical" => CategoricalDistribution.FromJson(root),
                _ => throw new FormatException($"Unknown distribution type '{type}'; expected int, float or categorical."),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"Cannot read a parameter distribution from '{json}': {e.Message}", e);
        }
    }

    /// <summary>Gets a property of a distribution's JSON object.</summary>
    /// <param name="root">The JSON object.</param>
    /// <param name="name">The property's name.</param>
    /// <returns>The property's value.</returns>
    /// <exception cref="FormatException">The object has no such property.</exception>
    internal static JsonElement Property(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"The property '{name}' is missing.");

    /// <summary>Writes the distribution's properties (inside the JSON object).</summary>
    /// <param name="writer">The writer.</param>
    private protected abstract void WriteJson(Utf8JsonWriter writer);

    /// <summary>Formats a number for messages and text forms: shortest round-trip, invariant culture.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
