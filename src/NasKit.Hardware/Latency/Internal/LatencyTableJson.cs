using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NasKit.Hardware.Latency.Internal;

/// <summary>Writes and reads the version-1 latency-table JSON format (docs/latency-lut.md) with field-precise errors.</summary>
internal static class LatencyTableJson
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(LatencyTable table)
    {
        var m = table.Metadata;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, s_writerOptions))
        {
            w.WriteStartObject();
            w.WriteString("format", LatencyTable.FormatName);
            w.WriteNumber("version", LatencyTable.FormatVersion);
            w.WriteString("unit", "ms");
            w.WriteString("statistic", "median");
            w.WriteStartObject("device");
            w.WriteString("processorName", m.ProcessorName);
            w.WriteNumber("processorCount", m.ProcessorCount);
            w.WriteString("operatingSystem", m.OperatingSystem);
            w.WriteString("framework", m.Framework);
            if (m.Description is null)
            {
                w.WriteNull("description");
            }
            else
            {
                w.WriteString("description", m.Description);
            }

            w.WriteEndObject();
            w.WriteStartObject("measurement");
            w.WriteNumber("threads", m.Threads);
            w.WriteNumber("warmupRuns", m.WarmupRuns);
            w.WriteNumber("repeats", m.Repeats);
            w.WriteString("createdUtc", m.CreatedUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartObject("entries");
            foreach (var (signature, ms) in table.Entries)
            {
                w.WriteNumber(signature, ms);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static LatencyTable Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber + 1;
            throw new LatencyTableFormatException(
                $"The latency table is not valid JSON at line {line}, byte {e.BytePositionInLine + 1}: {e.Message}", e.Path, line, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error("$", $"the file must hold a JSON object, but holds a {root.ValueKind}");
            }

            var format = String(root, "$", "format");
            if (!string.Equals(format, LatencyTable.FormatName, StringComparison.Ordinal))
            {
                throw Error("$.format", $"must be \"{LatencyTable.FormatName}\", but is \"{format}\"");
            }

            var version = Int(root, "$", "version", minimum: 1);
            if (version != LatencyTable.FormatVersion)
            {
                throw Error("$.version", $"is {version}, but this NasKit reads version {LatencyTable.FormatVersion} only");
            }

            if (root.TryGetProperty("unit", out var unit) && !(unit.ValueKind == JsonValueKind.String && unit.GetString() == "ms"))
            {
                throw Error("$.unit", $"must be \"ms\", but is {unit.GetRawText()}");
            }

            var device = Object(root, "$", "device");
            var measurement = Object(root, "$", "measurement");
            var createdText = String(measurement, "$.measurement", "createdUtc");
            if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created))
            {
                throw Error("$.measurement.createdUtc", $"must be an ISO 8601 date and time, but is \"{createdText}\"");
            }

            string? description = null;
            if (device.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                description = d.ValueKind == JsonValueKind.String ? d.GetString() : throw Error("$.device.description", $"must be a string or null, but is a {d.ValueKind}");
            }

            var metadata = new LatencyTableMetadata(
                String(device, "$.device", "processorName"),
                Int(device, "$.device", "processorCount", minimum: 1),
                String(device, "$.device", "operatingSystem"),
                String(device, "$.device", "framework"),
                Int(measurement, "$.measurement", "threads", minimum: 1),
                Int(measurement, "$.measurement", "warmupRuns", minimum: 0),
                Int(measurement, "$.measurement", "repeats", minimum: 1),
                created,
                description);

            var entriesElement = Object(root, "$", "entries");
            var entries = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in entriesElement.EnumerateObject())
            {
                var path = $"$.entries[\"{property.Name}\"]";
                if (string.IsNullOrWhiteSpace(property.Name))
                {
                    throw Error("$.entries", "has an entry with an empty signature");
                }

                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var ms))
                {
                    throw Error(path, $"must be a number of milliseconds, but is {Describe(property.Value)}");
                }

                if (!double.IsFinite(ms) || ms < 0)
                {
                    throw Error(path, $"must be a finite number >= 0, but is {property.Value.GetRawText()}");
                }

                if (!entries.TryAdd(property.Name, ms))
                {
                    throw Error(path, "appears twice; each signature may appear once");
                }
            }

            return new LatencyTable(metadata, entries);
        }
    }

    private static LatencyTableFormatException Error(string path, string rule) =>
        new($"The latency table's field {path} {rule}.", path, lineNumber: null);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Null => "null",
        _ => $"a {e.ValueKind.ToString().ToLowerInvariant()} ({e.GetRawText()})",
    };

    private static JsonElement Required(JsonElement parent, string parentPath, string name)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Error($"{parentPath}.{name}", "is required but missing");
        }

        return value;
    }

    private static JsonElement Object(JsonElement parent, string parentPath, string name)
    {
        var value = Required(parent, parentPath, name);
        return value.ValueKind == JsonValueKind.Object ? value : throw Error($"{parentPath}.{name}", $"must be an object, but is {Describe(value)}");
    }

    private static string String(JsonElement parent, string parentPath, string name)
    {
        var value = Required(parent, parentPath, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error($"{parentPath}.{name}", $"must be a string, but is {Describe(value)}");
    }

    private static int Int(JsonElement parent, string parentPath, string name, int minimum)
    {
        var value = Required(parent, parentPath, name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n))
        {
            throw Error($"{parentPath}.{name}", $"must be an integer, but is {Describe(value)}");
        }

        return n >= minimum ? n : throw Error($"{parentPath}.{name}", $"must be >= {minimum}, but is {n}");
    }
}
