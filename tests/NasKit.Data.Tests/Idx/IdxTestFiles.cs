using System.Buffers.Binary;
using System.IO.Compression;

namespace NasKit.Data.Tests.Idx;

/// <summary>Builds IDX byte images (raw or gzip) for tests, independently of the reader under test.</summary>
internal static class IdxTestFiles
{
    /// <summary>Builds an IDX file: 0x00 0x00, type code, rank, big-endian sizes, then the data.</summary>
    public static byte[] Build(int[] shape, byte[] data, byte typeCode = 0x08)
    {
        var bytes = new byte[4 + (4 * shape.Length) + data.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)shape.Length;
        for (var d = 0; d < shape.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * d), 4), shape[d]);
        }

        data.CopyTo(bytes, 4 + (4 * shape.Length));
        return bytes;
    }

    /// <summary>Gzip-compresses <paramref name="raw"/>.</summary>
    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>Returns bytes 0, 1, 2, ... (mod 256) of the given length.</summary>
    public static byte[] Ramp(int length)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = (byte)i;
        }

        return data;
    }
}
