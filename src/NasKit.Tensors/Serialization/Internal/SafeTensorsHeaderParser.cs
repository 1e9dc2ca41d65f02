using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;

namespace NasKit.Tensors.Serialization.Internal;

/// <summary>
/// Parses a safetensors JSON header and validates every entry against the real length of the data region, so that no size
/// taken from the file is used for an allocation before it has been checked against bytes that actually exist.
/// </summary>
internal static class SafeTensorsHeaderParser
{
    /// <summary>The reserved header key holding string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    // Root object -> entry object -> shape array is depth 3; anything deeper is not a safetensors header.
    private const int MaxJsonDepth = 4;

    private const int MaxQuotedLength = 120;

    /// <summary>Parses <paramref name="json"/> and validates it against a data region of <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The header breaks a rule of the format; the message names the tensor and the values.</exception>
    public static SafeTensorsHeader Parse(ReadOnlyMemory<byte> json, long dataLength, string source)
    {
        if (!Utf8.IsValid(json.Span))
        {
            throw Error(source, $"the header is not valid JSON: it is not valid UTF-8 (the first invalid sequence starts at header byte {FirstInvalidUtf8(json.Span)}).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            throw Error(source, $"the header is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, $"the header must be a JSON object, but it is {Describe(root.ValueKind)}.");
            }

            var entries = new List<SafeTensorsEntry>();
            var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                var name = property.Name;
                if (!seen.Add(name))
                {
                    throw Error(source, name == MetadataKey
                        ? $"the header has more than one '{MetadataKey}' entry."
                        : $"the header lists tensor {Quote(name)} more than once; tensor names must be unique.");
                }

                if (name == MetadataKey)
                {
                    ParseMetadata(property.Value, metadata, source);
                }
                else
                {
                    entries.Add(ParseEntry(name, property.Value, dataLength, source));
                }
            }

            CheckCoverage(entries, dataLength, source);
            return new SafeTensorsHeader(entries, metadata);
        }
    }

    /// <summary>Creates the exception every format violation is reported with.</summary>
    public static InvalidDataException Error(string source, string message, Exception? inner = null) =>
        new($"Cannot read {source}: {message}", inner);

    /// <summary>Quotes a name for an error message, shortening very long names.</summary>
    public static string Quote(string name) =>
        name.Length <= MaxQuotedLength ? $"'{name}'" : $"'{name[..MaxQuotedLength]}...' ({name.Length} characters)";

    private static void ParseMetadata(JsonElement value, OrderedDictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"'{MetadataKey}' must be a JSON object of string values, but it is {Describe(value.ValueKind)}.");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(source, $"metadata key {Quote(item.Name)} must have a string value, but it is {Describe(item.Value.ValueKind)}.");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Error(source, $"metadata key {Quote(item.Name)} appears more than once.");
            }
        }
    }

    private static SafeTensorsEntry ParseEntry(string name, JsonElement value, long dataLength, string source)
    {
        var tensor = "tensor " + Quote(name);
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"{tensor}: the entry must be a JSON object with 'dtype', 'shape' and 'data_offsets', but it is {Describe(value.ValueKind)}.");
        }

        JsonElement? dtypeElement = null;
        JsonElement? shapeElement = null;
        JsonElement? offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            ref var slot = ref dtypeElement;
            switch (field.Name)
            {
                case "dtype":
                    break;
                case "shape":
                    slot = ref shapeElement;
                    break;
                case "data_offsets":
                    slot = ref offsetsElement;
                    break;
                default:
                    throw Error(source, $"{tensor}: unknown field {Quote(field.Name)}; an entry has only 'dtype', 'shape' and 'data_offsets'.");
            }

            if (slot is not null)
            {
                throw Error(source, $"{tensor}: field '{field.Name}' appears more than once.");
            }

            slot = field.Value;
        }

        var dtype = ParseDType(tensor, dtypeElement, source);
        var (shape, elementCount) = ParseShape(tensor, shapeElement, source);
        var (begin, end) = ParseOffsets(tensor, offsetsElement, source);
        if (begin > end)
        {
            throw Error(source, $"{tensor}: data_offsets [{begin}, {end}] are reversed; the begin offset must not exceed the end offset.");
        }

        if (end > dataLength)
        {
            throw Error(source, $"{tensor}: data_offsets [{begin}, {end}] are out of range; the data region after the header holds only {dataLength} bytes.");
        }

        var size = SafeTensorsDTypes.ElementSize(dtype);
        var expected = (long)elementCount * size;
        if (end - begin != expected)
        {
            throw Error(source, string.Create(CultureInfo.InvariantCulture,
                $"{tensor}: data_offsets [{begin}, {end}] span {end - begin} bytes, but shape {FormatShape(shape)} of {SafeTensorsDTypes.Code(dtype)} needs {elementCount} x {size} = {expected} bytes."));
        }

        return new SafeTensorsEntry(name, dtype, shape, elementCount, begin, end);
    }

    private static SafeTensorsDType ParseDType(string tensor, JsonElement? element, string source)
    {
        if (element is not { } e)
        {
            throw Error(source, $"{tensor}: the required field 'dtype' is missing.");
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            throw Error(source, $"{tensor}: 'dtype' must be a string such as \"F32\", but it is {Describe(e.ValueKind)}.");
        }

        var code = e.GetString()!;
        if (!SafeTensorsDTypes.TryParse(code, out var dtype))
        {
            throw Error(source, $"{tensor}: unknown or unsupported dtype {Quote(code)}; supported dtypes are {SafeTensorsDTypes.SupportedCodes}.");
        }

        return dtype;
    }

    private static (int[] Shape, int ElementCount) ParseShape(string tensor, JsonElement? element, string source)
    {
        if (element is not { } e)
        {
            throw Error(source, $"{tensor}: the required field 'shape' is missing.");
        }

        if (e.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, $"{tensor}: 'shape' must be an array of non-negative integers, but it is {Describe(e.ValueKind)}.");
        }

        var shape = new int[e.GetArrayLength()];
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var d))
            {
                throw Error(source, $"{tensor}: dimension {i} of 'shape' is {Shorten(item.GetRawText())}, which is not an integer.");
            }

            if (d < 0)
            {
                throw Error(source, $"{tensor}: dimension {i} of 'shape' is {d}; dimensions must be >= 0.");
            }

            if (d > int.MaxValue)
            {
                throw Error(source, $"{tensor}: dimension {i} of 'shape' is {d}, more than the largest supported dimension {int.MaxValue}.");
            }

            shape[i++] = (int)d;
        }

        // The element count must fit one storage; so must the product of the non-zero dimensions, because strides are
        // computed from it even when another dimension is zero.
        long product = 1;
        var hasZero = false;
        foreach (var d in shape)
        {
            if (d == 0)
            {
                hasZero = true;
                continue;
            }

            if (product > Array.MaxLength / d)
            {
                throw Error(source, $"{tensor}: shape {FormatShape(shape)} has more elements than the {Array.MaxLength} a tensor can hold.");
            }

            product *= d;
        }

        return (shape, hasZero ? 0 : (int)product);
    }

    private static (long Begin, long End) ParseOffsets(string tensor, JsonElement? element, string source)
    {
        if (element is not { } e)
        {
            throw Error(source, $"{tensor}: the required field 'data_offsets' is missing.");
        }

        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2)
        {
            var what = e.ValueKind == JsonValueKind.Array ? $"an array of {e.GetArrayLength()} values" : Describe(e.ValueKind);
            throw Error(source, $"{tensor}: 'data_offsets' must be an array of two integers [begin, end], but it is {what}.");
        }

        var values = new long[2];
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var label = i == 0 ? "begin" : "end";
            if (item.ValueKind != JsonValueKind.Number)
            {
                throw Error(source, $"{tensor}: the {label} offset in 'data_offsets' is {Describe(item.ValueKind)}, not an integer.");
            }

            if (item.TryGetInt64(out var v))
            {
                if (v < 0)
                {
                    throw Error(source, $"{tensor}: the {label} offset in 'data_offsets' is {v}; offsets must be >= 0.");
                }
            }
            else if (item.TryGetUInt64(out var big))
            {
                throw Error(source, $"{tensor}: the {label} offset in 'data_offsets' is {big}, beyond any readable data region.");
            }
            else
            {
                throw Error(source, $"{tensor}: the {label} offset in 'data_offsets' is {Shorten(item.GetRawText())}, which is not an integer.");
            }

            values[i++] = v;
        }

        return (values[0], values[1]);
    }

    /// <summary>Checks that the tensors tile the data region exactly: no overlap, no gap, no trailing bytes.</summary>
    private static void CheckCoverage(List<SafeTensorsEntry> entries, long dataLength, string source)
    {
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long cursor = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in ordered)
        {
            if (entry.Begin < cursor)
            {
                throw Error(source, $"tensor {Quote(entry.Name)} with data_offsets [{entry.Begin}, {entry.End}] overlaps tensor {Quote(previous!.Name)} with data_offsets [{previous.Begin}, {previous.End}].");
            }

            if (entry.Begin > cursor)
            {
                throw Error(source, $"bytes [{cursor}, {entry.Begin}) of the data region belong to no tensor (the next tensor is {Quote(entry.Name)}); tensors must be stored without gaps.");
            }

            if (entry.End > entry.Begin)
            {
                previous = entry;
                cursor = entry.End;
            }
        }

        if (cursor != dataLength)
        {
            throw Error(source, $"the data region after the header holds {dataLength} bytes, but the tensors cover only {cursor}; the header and the file length are inconsistent.");
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    private static string FormatShape(ReadOnlySpan<int> shape) => Tensors.Internal.ThrowHelper.FormatShape(shape);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };
}
