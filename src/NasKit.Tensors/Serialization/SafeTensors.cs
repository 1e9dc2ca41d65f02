using NasKit.Tensors.Serialization.Internal;

namespace NasKit.Tensors.Serialization;

/// <summary>Reads and writes tensors in the safetensors format, the file format PyTorch and Hugging Face tools use for state dicts.</summary>
/// <remarks>
/// <para><b>Layout.</b> A file is an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets relative to the data region) plus an optional
/// <c>"__metadata__"</c> object of strings, and then the raw little-endian, row-major tensor data.</para>
/// <para><b>Writing.</b> Tensors are written as <c>F32</c>, in the enumeration order of the dictionary (insertion order for
/// <see cref="OrderedDictionary{TKey, TValue}"/>, which is what <see cref="NN.Module.StateDict"/> returns); the header lists them in that
/// order and their data follows contiguously in the same order. <c>"__metadata__"</c> comes first and is omitted when there is no
/// metadata. The header is padded with spaces to a multiple of 8 bytes. Non-contiguous tensors are written in row-major order.</para>
/// <para><b>Reading.</b> Tensors come back in header order. NasKit tensors are float32, so every supported dtype is converted:
/// <c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>I16</c>, <c>I8</c>, <c>U8</c> and <c>BOOL</c> (0 or 1) exactly; <c>F64</c> rounded to the nearest
/// float32 (overflowing to infinity); <c>I64</c> and <c>I32</c> exactly up to 2^24 in magnitude and rounded to the nearest float32 beyond
/// (integer buffers such as PyTorch's <c>num_batches_tracked</c> therefore load as exact small integers).
/// <see cref="SafeTensorsContent.SourceDTypes"/> tells which dtype each tensor had.</para>
/// <para><b>Hostile files.</b> Treat a checkpoint from elsewhere as untrusted input. Unlike pickle-based formats, safetensors cannot run
/// code; the remaining risks are malformed sizes that make a reader allocate or read out of bounds. The reader therefore checks the header
/// length against the real stream length and against <see cref="MaxHeaderLength"/> before allocating the header, and validates every
/// entry (JSON syntax, required fields, known dtype, non-negative shape whose element count fits a tensor, offsets in range and matching
/// shape times element size, unique names, no overlapping ranges, no gaps, no trailing bytes) before allocating any tensor. Every
/// violation throws an <see cref="InvalidDataException"/> naming the tensor and the offending values; no tensor is returned on failure.
/// Non-seekable streams are copied into memory first (growing only with bytes that actually arrive) so that the same checks apply.</para>
/// <para>Tensors returned by a load are owned by the current <see cref="TensorScope"/>, if any, like every newly created tensor.</para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header, in bytes, that a file may declare; larger declarations are rejected before anything is allocated.</summary>
    public const int MaxHeaderLength = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> to a file atomically: a failure never leaves a partial file where an older one was.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors by name, written in enumeration order.</param>
    /// <param name="metadata">Optional string metadata stored under <c>"__metadata__"</c>.</param>
    /// <remarks>The data goes to a temporary file in the same folder, which is flushed to disk and then moved over
    /// <paramref name="path"/> (an atomic rename on the same volume). On failure the temporary file is deleted and an existing file at
    /// <paramref name="path"/> is untouched.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="tensors"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty; a tensor is null or disposed; a name is reserved
    /// (<c>"__metadata__"</c>); metadata contains null; or the header would exceed <see cref="MaxHeaderLength"/>.</exception>
    /// <exception cref="IOException">The file cannot be written or replaced.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"The path '{path}' does not name a file.", nameof(path));
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                SafeTensorsWriter.Write(file, tensors, metadata);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            // Remove the partial temporary file, then let the original failure surface unchanged.
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/> from its current position.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="tensors">The tensors by name, written in enumeration order.</param>
    /// <param name="metadata">Optional string metadata stored under <c>"__metadata__"</c>.</param>
    /// <remarks>Arguments are validated before the first byte is written; an I/O failure part-way can still leave a partial
    /// stream, so use <see cref="Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?)"/> for files.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="tensors"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable; a tensor is null or disposed; a name is reserved
    /// (<c>"__metadata__"</c>); metadata contains null; or the header would exceed <see cref="MaxHeaderLength"/>.</exception>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        SafeTensorsWriter.Write(stream, tensors, metadata);
    }

    /// <summary>Reads every tensor and the metadata of a safetensors file, converting each tensor to float32.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors in header order and the metadata; dispose it to release the tensors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message names the rule, the tensor and the values.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SafeTensorsContent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return SafeTensorsReader.Read(file, $"the safetensors file '{path}'");
    }

    /// <summary>Reads every tensor and the metadata from <paramref name="stream"/>, from its current position to its end.</summary>
    /// <param name="stream">A readable stream; non-seekable streams are buffered in memory first.</param>
    /// <returns>The tensors in header order and the metadata; dispose it to release the tensors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The data is not a valid safetensors file; the message names the rule, the tensor and the values.</exception>
    public static SafeTensorsContent Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        return SafeTensorsReader.Read(stream, "the safetensors stream");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
