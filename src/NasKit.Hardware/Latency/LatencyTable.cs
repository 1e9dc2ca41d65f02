using System.Collections.ObjectModel;
using System.Globalization;
using NasKit.Hardware.Latency.Internal;

namespace NasKit.Hardware.Latency;

/// <summary>
/// Holds measured latencies by layer signature (see <see cref="LayerSignature"/>): the median milliseconds of one call on the machine
/// described by <see cref="Metadata"/>. Build one with <see cref="LatencyProfiler"/>, save it as JSON, and predict network latencies
/// from it with <see cref="LatencyPredictor"/>.
/// </summary>
/// <remarks>
/// Immutable: <see cref="Merge"/> returns a new table. The JSON file format (version <see cref="FormatVersion"/>) is described in
/// <c>docs/latency-lut.md</c>. A table is only valid for the machine, thread count and runtime it was measured with.
/// </remarks>
public sealed class LatencyTable
{
    /// <summary>The version of the JSON file format that <see cref="ToJson"/> writes and <see cref="FromJson"/> reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The value of the file's <c>format</c> field, which identifies a latency table.</summary>
    public const string FormatName = "naskit-latency-table";

    private readonly SortedDictionary<string, double> _entries;

    /// <summary>Initializes a new instance of the <see cref="LatencyTable"/> class.</summary>
    /// <param name="metadata">Where and how the entries were measured.</param>
    /// <param name="entries">The median milliseconds by signature.</param>
    /// <exception cref="ArgumentNullException"><paramref name="metadata"/> or <paramref name="entries"/> is null.</exception>
    /// <exception cref="ArgumentException">A signature is empty or repeated, or a value is negative, NaN or infinite.</exception>
    public LatencyTable(LatencyTableMetadata metadata, IEnumerable<KeyValuePair<string, double>> entries)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(entries);
        Metadata = metadata;
        _entries = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (signature, ms) in entries)
        {
            if (string.IsNullOrWhiteSpace(signature))
            {
                throw new ArgumentException("A latency-table signature must not be empty.", nameof(entries));
            }

            if (!double.IsFinite(ms) || ms < 0)
            {
                throw new ArgumentException($"A latency must be a finite number >= 0 ms, but '{signature}' has {ms.ToString(CultureInfo.InvariantCulture)}.", nameof(entries));
            }

            if (!_entries.TryAdd(signature, ms))
            {
                throw new ArgumentException($"Each signature may appear once, but '{signature}' is repeated.", nameof(entries));
            }
        }

        Entries = new ReadOnlyDictionary<string, double>(_entries);
    }

    /// <summary>Gets where and how the entries were measured.</summary>
    public LatencyTableMetadata Metadata { get; }

    /// <summary>Gets the median milliseconds by signature, in ordinal order of the signatures.</summary>
    public IReadOnlyDictionary<string, double> Entries { get; }

    /// <summary>Gets the number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Returns whether the table holds a signature.</summary>
    /// <param name="signature">The signature.</param>
    /// <returns>True when it is present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is null.</exception>
    public bool Contains(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return _entries.ContainsKey(signature);
    }

    /// <summary>Gets the latency of a signature when the table holds it.</summary>
    /// <param name="signature">The signature.</param>
    /// <param name="milliseconds">The median milliseconds, or 0 when absent.</param>
    /// <returns>True when the table holds the signature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is null.</exception>
    public bool TryGetMilliseconds(string signature, out double milliseconds)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return _entries.TryGetValue(signature, out milliseconds);
    }

    /// <summary>Gets the latency of a signature.</summary>
    /// <param name="signature">The signature.</param>
    /// <returns>The median milliseconds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The table has no entry for the signature.</exception>
    public double GetMilliseconds(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (_entries.TryGetValue(signature, out var ms))
        {
            return ms;
        }

        throw new KeyNotFoundException(
            $"The latency table ({_entries.Count} entries, measured on '{Metadata.ProcessorName}' with {Metadata.Threads} thread(s)) has no entry for '{signature}'. " +
            "Profile the layer with LatencyProfiler and merge the result, or let LatencyPredictor profile missing signatures.");
    }

    /// <summary>Combines this table with another into a new table; the metadata is this table's.</summary>
    /// <param name="other">The table to add.</param>
    /// <param name="onConflict">What to do when both hold a signature with different values.</param>
    /// <param name="requireSameDevice">Whether to refuse tables measured on another processor or with another thread count.</param>
    /// <returns>The merged table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="requireSameDevice"/> is set and the devices differ.</exception>
    /// <exception cref="InvalidOperationException">A value conflicts and <paramref name="onConflict"/> is <see cref="LatencyMergeConflict.Throw"/>.</exception>
    public LatencyTable Merge(LatencyTable other, LatencyMergeConflict onConflict = LatencyMergeConflict.Throw, bool requireSameDevice = true)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (requireSameDevice && !Metadata.IsSameDevice(other.Metadata))
        {
            throw new ArgumentException(
                $"Only tables measured on the same device can be merged, but this one is '{Metadata.ProcessorName}' ({Metadata.ProcessorCount} processors, {Metadata.Threads} thread(s)) " +
                $"and the other '{other.Metadata.ProcessorName}' ({other.Metadata.ProcessorCount} processors, {other.Metadata.Threads} thread(s)); pass requireSameDevice: false to merge anyway.",
                nameof(other));
        }

        var merged = new Dictionary<string, double>(_entries, StringComparer.Ordinal);
        foreach (var (signature, incoming) in other._entries)
        {
            if (!merged.TryGetValue(signature, out var existing) || existing.Equals(incoming))
            {
                merged[signature] = incoming;
                continue;
            }

            merged[signature] = onConflict switch
            {
                LatencyMergeConflict.KeepExisting => existing,
                LatencyMergeConflict.TakeIncoming => incoming,
                LatencyMergeConflict.TakeMinimum => Math.Min(existing, incoming),
                LatencyMergeConflict.Throw => throw new InvalidOperationException(
                    $"Both tables hold '{signature}' with different values ({existing.ToString("R", CultureInfo.InvariantCulture)} ms and {incoming.ToString("R", CultureInfo.InvariantCulture)} ms); choose a {nameof(LatencyMergeConflict)} other than {nameof(LatencyMergeConflict.Throw)}."),
                _ => throw new ArgumentOutOfRangeException(nameof(onConflict), onConflict, "Unknown merge-conflict policy."),
            };
        }

        return new LatencyTable(Metadata, merged);
    }

    /// <summary>Writes the table as JSON in the documented format (signatures in ordinal order, so files diff well).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => LatencyTableJson.Write(this);

    /// <summary>Reads a table from JSON text in the documented format.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="LatencyTableFormatException">The text is not JSON (the message gives line and byte) or breaks the format (the message gives the field's path).</exception>
    public static LatencyTable FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return LatencyTableJson.Read(json);
    }

    /// <summary>Saves the table as a JSON file (UTF-8).</summary>
    /// <param name="path">The file path; an existing file is replaced.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>Loads a table from a JSON file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="LatencyTableFormatException">The file is malformed; the message names the file and the line or field.</exception>
    public static LatencyTable Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path);
        try
        {
            return LatencyTableJson.Read(text);
        }
        catch (LatencyTableFormatException e)
        {
            throw new LatencyTableFormatException($"'{path}': {e.Message}", e.Path, e.LineNumber, e);
        }
    }
}
