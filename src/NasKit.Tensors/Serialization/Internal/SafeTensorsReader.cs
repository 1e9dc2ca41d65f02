using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace NasKit.Tensors.Serialization.Internal;

/// <summary>Reads a safetensors stream: header validation first, then one float32 tensor per entry, converted chunk by chunk.</summary>
internal static class SafeTensorsReader
{
    // A multiple of every element size, so no element straddles two chunks.
    private const int ChunkBytes = 1 << 20;

    public static SafeTensorsContent Read(Stream stream, string source)
    {
        if (!stream.CanSeek)
        {
            // The length of a non-seekable stream is unknown, so sizes in the header could not be checked against it. Copy it
            // first: the buffer grows only with bytes that actually arrive, never with a size the stream merely claims.
            using var buffered = new MemoryStream();
            stream.CopyTo(buffered);
            buffered.Position = 0;
            return ReadSeekable(buffered, source);
        }

        return ReadSeekable(stream, source);
    }

    private static SafeTensorsContent ReadSeekable(Stream stream, string source)
    {
        var start = stream.Position;
        var available = stream.Length - start;
        if (available < 8)
        {
            throw SafeTensorsHeaderParser.Error(source, $"it holds {Math.Max(available, 0)} bytes, fewer than the 8-byte header length that starts every safetensors file.");
        }

        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafeTensors.MaxHeaderLength)
        {
            throw SafeTensorsHeaderParser.Error(source, $"the header length field declares {headerLength} bytes, more than the limit of {SafeTensors.MaxHeaderLength} bytes.");
        }

        if ((long)headerLength > available - 8)
        {
            throw SafeTensorsHeaderParser.Error(source, $"the header length field declares {headerLength} bytes, but only {available - 8} bytes follow it.");
        }

        // Both checks above bound this allocation by the real stream length and by the header limit.
        var header = new byte[(int)headerLength];
        stream.ReadExactly(header);
        var dataStart = start + 8 + (long)headerLength;
        var dataLength = available - 8 - (long)headerLength;
        var parsed = SafeTensorsHeaderParser.Parse(header, dataLength, source);

        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var dtypes = new OrderedDictionary<string, SafeTensorsDType>(StringComparer.Ordinal);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            foreach (var entry in parsed.Entries)
            {
                // Every entry was checked against dataLength, so this allocation is backed by bytes that exist.
                var tensor = Tensor.Empty(entry.Shape);
                tensors.Add(entry.Name, tensor);
                dtypes.Add(entry.Name, entry.DType);
                if (entry.ElementCount == 0)
                {
                    continue;
                }

                stream.Position = dataStart + entry.Begin;
                var destination = tensor.Storage.Data.AsSpan(tensor.Offset, entry.ElementCount);
                ReadElements(stream, entry, destination, chunk, source);
            }
        }
        catch
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new SafeTensorsContent(tensors, dtypes, parsed.Metadata);
    }

    private static void ReadElements(Stream stream, SafeTensorsEntry entry, Span<float> destination, byte[] chunk, string source)
    {
        var size = SafeTensorsDTypes.ElementSize(entry.DType);
        var perChunk = ChunkBytes / size;
        var done = 0;
        while (done < destination.Length)
        {
            var count = Math.Min(perChunk, destination.Length - done);
            var bytes = chunk.AsSpan(0, count * size);
            try
            {
                stream.ReadExactly(bytes);
            }
            catch (EndOfStreamException ex)
            {
                // Only possible when the stream shrank after its length was checked.
                throw SafeTensorsHeaderParser.Error(source, $"the data of tensor {SafeTensorsHeaderParser.Quote(entry.Name)} ends early; the stream is shorter than its length said.", ex);
            }

            Convert(entry, bytes, destination.Slice(done, count), done, source);
            done += count;
        }
    }

    private static void Convert(SafeTensorsEntry entry, ReadOnlySpan<byte> src, Span<float> dst, int firstIndex, string source)
    {
        switch (entry.DType)
        {
            case SafeTensorsDType.Float32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
                break;
            case SafeTensorsDType.Float32:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(i * 4)..]);
                }

                break;
            case SafeTensorsDType.Float64:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(i * 8)..]);
                }

                break;
            case SafeTensorsDType.Float16:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(src[(i * 2)..]);
                }

                break;
            case SafeTensorsDType.BFloat16:
                for (var i = 0; i < dst.Length; i++)
                {
                    // bfloat16 is the upper half of a binary32, so widening is a shift and exact.
                    dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]) << 16);
                }

                break;
            case SafeTensorsDType.Int64:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt64LittleEndian(src[(i * 8)..]);
                }

                break;
            case SafeTensorsDType.Int32:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt32LittleEndian(src[(i * 4)..]);
                }

                break;
            case SafeTensorsDType.Int16:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = BinaryPrimitives.ReadInt16LittleEndian(src[(i * 2)..]);
                }

                break;
            case SafeTensorsDType.Int8:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = (sbyte)src[i];
                }

                break;
            case SafeTensorsDType.UInt8:
                for (var i = 0; i < dst.Length; i++)
                {
                    dst[i] = src[i];
                }

                break;
            case SafeTensorsDType.Bool:
                for (var i = 0; i < dst.Length; i++)
                {
                    var b = src[i];
                    if (b > 1)
                    {
                        throw SafeTensorsHeaderParser.Error(source, $"tensor {SafeTensorsHeaderParser.Quote(entry.Name)} is BOOL, but element {firstIndex + i} holds the byte {b}; booleans must be 0 or 1.");
                    }

                    dst[i] = b;
                }

                break;
            default:
                throw new InvalidOperationException($"Unhandled dtype {entry.DType}.");
        }
    }
}
