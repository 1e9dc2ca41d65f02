using System.Buffers.Binary;
using System.IO.Compression;
using NasKit.Data.Internal;

namespace NasKit.Data.Idx;

/// <summary>
/// Reads IDX files, the format of MNIST, Fashion-MNIST and their relatives, either raw or gzip-compressed.
/// </summary>
/// <remarks>
/// <para>An IDX file is a header followed by the data: two zero bytes, a type code (only 0x08, unsigned byte, is supported),
/// the rank, then one big-endian 32-bit size per dimension; the values follow in row-major order. Gzip compression is
/// recognised by the stream's first two bytes (0x1F 0x8B), whatever the file is called.</para>
/// <para>Malformed input fails with an <see cref="InvalidDataException"/> that names the file and the rule broken: a wrong
/// magic or type code, an unexpected rank, a truncated header or body (with the byte counts expected and found), bytes after
/// the declared data, or dimension sizes that the input cannot possibly hold (checked before anything is allocated).</para>
/// </remarks>
public static class IdxReader
{
    /// <summary>The IDX type code of unsigned bytes, the only element type this reader supports.</summary>
    public const byte UnsignedByteTypeCode = 0x08;

    // Deflate cannot expand data by more than about 1032:1 (258-byte matches coded in 2 bits), so a compressed stream of
    // n bytes inflates to at most this many times n; the slack covers the gzip header and tiny inputs.
    private const long MaxDeflateRatio = 1032;
    private const long DeflateSlackBytes = 1024;

    /// <summary>Reads an IDX file, raw or gzip-compressed.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="expectedRank">The rank the file must have (3 for MNIST images, 1 for labels); 1 to 255.</param>
    /// <returns>The file's shape and values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedRank"/> is outside [1, 255].</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed unsigned-byte IDX file of the expected rank.</exception>
    public static IdxArray Read(string path, int expectedRank)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckExpectedRank(expectedRank);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return Read(stream, expectedRank, path);
    }

    /// <summary>Reads an IDX file, raw or gzip-compressed, from the current position of <paramref name="stream"/> to its end.</summary>
    /// <param name="stream">A readable, seekable stream (a file or a memory stream); it is left open.</param>
    /// <param name="expectedRank">The rank the file must have (3 for MNIST images, 1 for labels); 1 to 255.</param>
    /// <param name="sourceName">The name used in error messages; when null, the file name of a <see cref="FileStream"/>, else "stream".</param>
    /// <returns>The file's shape and values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream cannot read or cannot seek.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedRank"/> is outside [1, 255].</exception>
    /// <exception cref="InvalidDataException">The data is not a well-formed unsigned-byte IDX file of the expected rank.</exception>
    public static IdxArray Read(Stream stream, int expectedRank, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckExpectedRank(expectedRank);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException(
                $"The stream must be readable and seekable (its length bounds the sizes a header may declare), but CanRead={stream.CanRead}, CanSeek={stream.CanSeek}.",
                nameof(stream));
        }

        var name = sourceName ?? NameOf(stream);
        var start = stream.Position;
        var available = stream.Length - start;
        Span<byte> magic = stackalloc byte[2];
        var n = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (n == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            return Parse(gzip, expectedRank, name, exactLength: null, maxLength: (available * MaxDeflateRatio) + DeflateSlackBytes);
        }

        return Parse(stream, expectedRank, name, exactLength: available, maxLength: available);
    }

    /// <summary>Reads an MNIST-style pair of files (images of rank 3, labels of rank 1) into a dataset with pixels scaled to [0, 1].</summary>
    /// <param name="imagesPath">The path of the images file ([count, rows, columns] unsigned bytes), raw or gzip-compressed.</param>
    /// <param name="labelsPath">The path of the labels file ([count] unsigned bytes), raw or gzip-compressed.</param>
    /// <param name="numClasses">The number of classes; every label must be below it. 1 to 256.</param>
    /// <returns>A dataset of sample shape [1, rows, columns] whose features are the pixel values divided by 255.</returns>
    /// <exception cref="ArgumentNullException">A path is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is outside [1, 256].</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the counts of images and labels differ, or a label is not below <paramref name="numClasses"/>.</exception>
    public static InMemoryDataset ReadLabeledImages(string imagesPath, string labelsPath, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        ArgumentNullException.ThrowIfNull(labelsPath);
        CheckNumClasses(numClasses);
        var images = Read(imagesPath, expectedRank: 3);
        var labels = Read(labelsPath, expectedRank: 1);
        return ToDataset(images, labels, numClasses, imagesName: imagesPath, labelsName: labelsPath);
    }

    /// <summary>Reads an MNIST-style pair of streams (images of rank 3, labels of rank 1) into a dataset with pixels scaled to [0, 1].</summary>
    /// <param name="images">A readable, seekable stream holding the images ([count, rows, columns] unsigned bytes), raw or gzip-compressed.</param>
    /// <param name="labels">A readable, seekable stream holding the labels ([count] unsigned bytes), raw or gzip-compressed.</param>
    /// <param name="numClasses">The number of classes; every label must be below it. 1 to 256.</param>
    /// <returns>A dataset of sample shape [1, rows, columns] whose features are the pixel values divided by 255.</returns>
    /// <exception cref="ArgumentNullException">A stream is null.</exception>
    /// <exception cref="ArgumentException">A stream cannot read or cannot seek.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is outside [1, 256].</exception>
    /// <exception cref="InvalidDataException">A stream is malformed, the counts of images and labels differ, or a label is not below <paramref name="numClasses"/>.</exception>
    public static InMemoryDataset ReadLabeledImages(Stream images, Stream labels, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        CheckNumClasses(numClasses);
        var imagesName = images is FileStream fi ? fi.Name : "images stream";
        var labelsName = labels is FileStream fl ? fl.Name : "labels stream";
        var imageData = Read(images, expectedRank: 3, imagesName);
        var labelData = Read(labels, expectedRank: 1, labelsName);
        return ToDataset(imageData, labelData, numClasses, imagesName, labelsName);
    }

    private static InMemoryDataset ToDataset(IdxArray images, IdxArray labels, int numClasses, string imagesName, string labelsName)
    {
        var count = images.Shape[0];
        if (labels.Shape[0] != count)
        {
            throw new InvalidDataException(
                $"The number of images and labels must agree, but '{imagesName}' holds {count} images and '{labelsName}' holds {labels.Shape[0]} labels.");
        }

        var rows = images.Shape[1];
        var cols = images.Shape[2];
        if (rows == 0 || cols == 0)
        {
            throw new InvalidDataException($"'{imagesName}' declares empty images: shape {DataGuard.FormatShape(images.Shape)}.");
        }

        var labelBytes = labels.Data.Span;
        var targets = new int[count];
        for (var i = 0; i < targets.Length; i++)
        {
            if (labelBytes[i] >= numClasses)
            {
                throw new InvalidDataException(
                    $"Every label must be < numClasses={numClasses}, but '{labelsName}' holds label {labelBytes[i]} at index {i}.");
            }

            targets[i] = labelBytes[i];
        }

        var pixels = images.Data.Span;
        var features = GC.AllocateUninitializedArray<float>(pixels.Length);
        for (var i = 0; i < pixels.Length; i++)
        {
            // Division, not multiplication by 1/255, so the values equal torchvision's ToTensor() bit for bit.
            features[i] = pixels[i] / 255f;
        }

        return new InMemoryDataset(features, targets, [1, rows, cols], numClasses);
    }

    private static IdxArray Parse(Stream stream, int expectedRank, string name, long? exactLength, long maxLength)
    {
        Span<byte> prefix = stackalloc byte[4];
        var n = Fill(stream, prefix, name);
        if (n < prefix.Length)
        {
            throw new InvalidDataException($"'{name}' is truncated: an IDX header needs at least 4 bytes, but the input holds {n}.");
        }

        if (prefix[0] != 0 || prefix[1] != 0)
        {
            throw new InvalidDataException(
                $"'{name}' is not an IDX file: its first two bytes must be 0x00 0x00 (or 0x1F 0x8B for gzip), but are 0x{prefix[0]:X2} 0x{prefix[1]:X2}.");
        }

        if (prefix[2] != UnsignedByteTypeCode)
        {
            throw new InvalidDataException(
                $"'{name}' has IDX type code 0x{prefix[2]:X2} ({TypeName(prefix[2])}), but only 0x08 (unsigned byte) is supported.");
        }

        int rank = prefix[3];
        if (rank != expectedRank)
        {
            throw new InvalidDataException($"'{name}' has rank {rank}, but rank {expectedRank} was expected (3 for images [count, rows, columns], 1 for labels [count]).");
        }

        var headerLength = 4 + (4 * rank);
        Span<byte> dims = stackalloc byte[4 * rank];
        n = Fill(stream, dims, name);
        if (n < dims.Length)
        {
            throw new InvalidDataException($"'{name}' is truncated: its header needs {headerLength} bytes for rank {rank}, but the input holds {4 + n}.");
        }

        var shape = new long[rank];
        long payload = 1;
        for (var d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadUInt32BigEndian(dims.Slice(4 * d, 4));
            payload = shape[d] == 0 || payload == 0 ? 0 : (payload > long.MaxValue / shape[d] ? long.MaxValue : payload * shape[d]);
        }

        var shapeText = "[" + string.Join(", ", shape) + "]";
        if (Array.Exists(shape, static s => s > int.MaxValue) || payload > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"'{name}' declares an absurd shape {shapeText}: its data would exceed the largest array .NET supports ({Array.MaxLength} bytes).");
        }

        if (exactLength is long exact)
        {
            var body = exact - headerLength;
            if (body < payload)
            {
                throw new InvalidDataException(
                    $"'{name}' is truncated: its header declares shape {shapeText}, which needs {payload} data bytes after the {headerLength}-byte header, but only {body} follow.");
            }

            if (body > payload)
            {
                throw new InvalidDataException(
                    $"'{name}' has {body - payload} unexpected trailing bytes after the {payload} data bytes that its header (shape {shapeText}) declares.");
            }
        }
        else if (headerLength + payload > maxLength)
        {
            throw new InvalidDataException(
                $"'{name}' declares an absurd shape {shapeText} ({payload} data bytes): a compressed input of its size inflates to at most {maxLength} bytes.");
        }

        var data = GC.AllocateUninitializedArray<byte>((int)payload);
        var read = Fill(stream, data, name);
        if (read < data.Length)
        {
            throw new InvalidDataException(
                $"'{name}' is truncated: its header declares shape {shapeText}, which needs {payload} data bytes after the {headerLength}-byte header, but only {read} follow (after decompression).");
        }

        if (exactLength is null)
        {
            var extra = CountRemaining(stream, name);
            if (extra > 0)
            {
                throw new InvalidDataException(
                    $"'{name}' has {extra} unexpected trailing bytes (after decompression) after the {payload} data bytes that its header (shape {shapeText}) declares.");
            }
        }

        return new IdxArray(Array.ConvertAll(shape, static s => (int)s), data);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the input ends; returns the number of bytes read.</summary>
    private static int Fill(Stream stream, Span<byte> buffer, string name)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            // The decompressor's own message does not say which file is corrupt.
            throw new InvalidDataException($"'{name}' is not a valid gzip stream: {ex.Message}", ex);
        }
    }

    private static long CountRemaining(Stream stream, string name)
    {
        Span<byte> buffer = stackalloc byte[4096];
        long total = 0;
        int n;
        while ((n = Fill(stream, buffer, name)) > 0)
        {
            total += n;
        }

        return total;
    }

    private static string NameOf(Stream stream) => stream is FileStream file ? file.Name : "stream";

    private static string TypeName(byte code) => code switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };

    private static void CheckExpectedRank(int expectedRank)
    {
        if (expectedRank is < 1 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedRank), expectedRank, $"The expected rank must lie in [1, 255], but got {expectedRank}.");
        }
    }

    private static void CheckNumClasses(int numClasses)
    {
        if (numClasses is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(
                nameof(numClasses), numClasses, $"The number of classes must lie in [1, 256] (labels are unsigned bytes), but got {numClasses}.");
        }
    }
}
