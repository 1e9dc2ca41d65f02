using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NasKit.Tensors.Serialization.Internal;

/// <summary>Writes float32 tensors in the safetensors layout: length, space-padded JSON header, then contiguous row-major data.</summary>
internal static class SafeTensorsWriter
{
    private const int ChunkElements = 1 << 18;

    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        // Snapshot and validate everything before the first byte is written, so a bad argument never leaves a partial file.
        var items = new List<KeyValuePair<string, Tensor>>(tensors.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in tensors)
        {
            var name = item.Key;
            if (name is null)
            {
                throw new ArgumentException("Tensor names must not be null.", nameof(tensors));
            }

            if (name == SafeTensorsHeaderParser.MetadataKey)
            {
                throw new ArgumentException($"The name '{SafeTensorsHeaderParser.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"The tensor name {SafeTensorsHeaderParser.Quote(name)} appears more than once.", nameof(tensors));
            }

            if (item.Value is null)
            {
                throw new ArgumentException($"The tensor {SafeTensorsHeaderParser.Quote(name)} is null.", nameof(tensors));
            }

            if (item.Value.IsDisposed)
            {
                throw new ArgumentException($"The tensor {SafeTensorsHeaderParser.Quote(name)} has been disposed, so its values can no longer be saved.", nameof(tensors));
            }

            items.Add(item);
        }

        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (key is null || value is null)
                {
                    throw new ArgumentException($"Metadata keys and values must not be null, but the entry {(key is null ? "with a null key" : SafeTensorsHeaderParser.Quote(key))} has a null {(key is null ? "key" : "value")}.", nameof(metadata));
                }
            }
        }

        var header = BuildHeader(items, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var (_, tensor) in items)
        {
            WriteData(stream, tensor);
        }

        stream.Flush();
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();

        // The header is file content, not HTML: keep names readable (non-ASCII stays UTF-8); JSON escaping is still applied.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafeTensorsHeaderParser.MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                var end = offset + ((long)tensor.NumberOfElements * sizeof(float));
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in tensor.ShapeSpan)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }

            json.WriteEndObject();
        }

        // Pad with spaces (valid JSON whitespace) to a multiple of 8 so the data region starts 8-byte aligned.
        var length = buffer.WrittenCount;
        var padded = (length + 7) & ~7;
        if (padded > SafeTensors.MaxHeaderLength)
        {
            throw new ArgumentException($"The header would be {padded} bytes, more than the limit of {SafeTensors.MaxHeaderLength} bytes that readers accept; save fewer tensors or shorter names.", nameof(tensors));
        }

        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        var count = tensor.NumberOfElements;
        if (count == 0)
        {
            return;
        }

        // Non-contiguous views (transposes, slices, expansions) are copied to row-major order first.
        var contiguous = tensor.AsContiguous();
        try
        {
            var t = contiguous.Tensor;
            ReadOnlySpan<float> values = t.Storage.Data.AsSpan(t.Offset, count);
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(values));
                return;
            }

            var chunk = ArrayPool<byte>.Shared.Rent(ChunkElements * sizeof(float));
            try
            {
                for (var start = 0; start < count; start += ChunkElements)
                {
                    var n = Math.Min(ChunkElements, count - start);
                    for (var i = 0; i < n; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i * sizeof(float)), values[start + i]);
                    }

                    stream.Write(chunk, 0, n * sizeof(float));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
        finally
        {
            contiguous.Dispose();
        }
    }
}
