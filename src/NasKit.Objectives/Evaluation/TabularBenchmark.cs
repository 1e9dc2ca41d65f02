using System.Collections.Concurrent;
using System.Globalization;
using NasKit.Objectives.Internal;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Represents a tabular benchmark loaded from a CSV file: one row per architecture, keyed by a text column (for NAS-Bench-201, the
/// <c>arch</c> column holding the cell's text form), with numeric columns read by name.
/// </summary>
/// <remarks>
/// <para><b>Format.</b> The first record is the header; column names are matched exactly (ordinal). Fields may be quoted. Every record
/// must have as many fields as the header, and keys must be unique. Numbers are parsed in invariant culture (<c>93.66</c>,
/// <c>1.5e7</c>), lazily, column by column, the first time a column is asked for; a cell that is not a number is reported with its
/// line and column then.</para>
/// <para><b>Data.</b> Benchmark tables are data, not code: pass their path, never embed them (see the NAS-Bench-201 README for its
/// columns and protocol: search on a <c>*_valid</c> column, report the matching <c>*_test</c> column).</para>
/// <para>Loading the 15,625-row NAS-Bench-201 table takes a few tens of milliseconds. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class TabularBenchmark
{
    private readonly string[] _columns;
    private readonly Dictionary<string, int> _columnIndex;
    private readonly string[][] _rows;
    private readonly int[] _lines;
    private readonly Dictionary<string, int> _rowIndex;
    private readonly ConcurrentDictionary<int, double[]> _parsed = new();

    private TabularBenchmark(string source, string keyColumn, string[] columns, List<string[]> rows, List<int> lines)
    {
        Source = source;
        KeyColumn = keyColumn;
        _columns = columns;
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            if (!_columnIndex.TryAdd(columns[i], i))
            {
                throw new InvalidDataException($"{source}: column '{columns[i]}' appears twice in the header (positions {_columnIndex[columns[i]] + 1} and {i + 1}).");
            }
        }

        if (!_columnIndex.TryGetValue(keyColumn, out var keyAt))
        {
            throw new InvalidDataException($"{source}: the key column '{keyColumn}' is not in the header [{string.Join(", ", columns)}].");
        }

        _rows = [.. rows];
        _lines = [.. lines];
        _rowIndex = new Dictionary<string, int>(_rows.Length, StringComparer.Ordinal);
        for (var r = 0; r < _rows.Length; r++)
        {
            if (!_rowIndex.TryAdd(_rows[r][keyAt], r))
            {
                throw new InvalidDataException(
                    $"{source}: key '{_rows[r][keyAt]}' of column '{keyColumn}' appears twice (lines {_lines[_rowIndex[_rows[r][keyAt]]]} and {_lines[r]}); keys must be unique.");
            }
        }
    }

    /// <summary>Gets where the table was read from (a path, or the name given to <see cref="Parse"/>).</summary>
    public string Source { get; }

    /// <summary>Gets the name of the key column.</summary>
    public string KeyColumn { get; }

    /// <summary>Gets the column names, in file order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Gets the number of rows (header excluded).</summary>
    public int Count => _rows.Length;

    /// <summary>Gets the keys, in file order.</summary>
    public IEnumerable<string> Keys => _rows.Select(r => r[_columnIndex[KeyColumn]]);

    /// <summary>Loads a table from a CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="keyColumn">The column holding each row's key (for NAS-Bench-201, <c>arch</c>).</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="keyColumn"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, a record has the wrong number of fields, a column appears twice,
    /// the key column is missing, or a key repeats; the message gives the line.</exception>
    public static TabularBenchmark Load(string path, string keyColumn = "arch")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(keyColumn);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The benchmark table '{path}' does not exist.", path);
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, keyColumn, path);
    }

    /// <summary>Reads a table from CSV text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="keyColumn">The column holding each row's key.</param>
    /// <param name="source">A name for messages (for example the file name).</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyColumn"/> is null or empty.</exception>
    /// <exception cref="InvalidDataException">See <see cref="Load"/>.</exception>
    public static TabularBenchmark Parse(TextReader reader, string keyColumn = "arch", string source = "csv")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(keyColumn);
        source ??= "csv";
        string[]? header = null;
        var rows = new List<string[]>();
        var lines = new List<int>();
        foreach (var (line, fields) in CsvParser.Read(reader, source))
        {
            if (header is null)
            {
                header = [.. fields.Select(f => f.Trim())];
                continue;
            }

            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"{source}: line {line} has {fields.Length} fields, but the header has {header.Length}.");
            }

            rows.Add(fields);
            lines.Add(line);
        }

        return header is null
            ? throw new InvalidDataException($"{source}: the table is empty; a header line with column names is expected.")
            : new TabularBenchmark(source, keyColumn, header, rows, lines);
    }

    /// <summary>Returns whether a key is in the table.</summary>
    /// <param name="key">The key (for NAS-Bench-201, an architecture's text form).</param>
    /// <returns>Whether a row has that key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool ContainsKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _rowIndex.ContainsKey(key);
    }

    /// <summary>Returns whether a column is in the table.</summary>
    /// <param name="column">The column name.</param>
    /// <returns>Whether the header has that column.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="column"/> is null.</exception>
    public bool ContainsColumn(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return _columnIndex.ContainsKey(column);
    }

    /// <summary>Reads a number from the row with a key.</summary>
    /// <param name="key">The row's key.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="KeyNotFoundException">No row has the key, or the header has no such column; the message says which.</exception>
    /// <exception cref="InvalidDataException">A cell of the column is not a number.</exception>
    public double GetValue(string key, string column)
    {
        ArgumentNullException.ThrowIfNull(key);
        var values = GetColumn(column);
        return _rowIndex.TryGetValue(key, out var row)
            ? values[row]
            : throw new KeyNotFoundException(
                $"{Source}: no row has '{key}' in key column '{KeyColumn}' ({Count} rows). Check that the architecture belongs to the table's space and that the key is its exact text form.");
    }

    /// <summary>Returns a column's numbers in row order.</summary>
    /// <param name="column">The column name.</param>
    /// <returns>The numbers (a shared array: do not modify it).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="column"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The header has no such column; the message lists the columns.</exception>
    /// <exception cref="InvalidDataException">A cell of the column is not a number; the message gives the line.</exception>
    public IReadOnlyList<double> GetColumn(string column) => GetColumn(column, out _);

    internal double[] GetColumn(string column, out int columnIndex)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (!_columnIndex.TryGetValue(column, out columnIndex))
        {
            throw new KeyNotFoundException($"{Source}: there is no column '{column}'; the columns are [{string.Join(", ", _columns)}].");
        }

        return _parsed.GetOrAdd(columnIndex, ParseColumn);
    }

    /// <summary>Returns the row index of a key, for repeated look-ups.</summary>
    internal bool TryGetRow(string key, out int row) => _rowIndex.TryGetValue(key, out row);

    private double[] ParseColumn(int column)
    {
        var values = new double[_rows.Length];
        for (var r = 0; r < _rows.Length; r++)
        {
            var text = _rows[r][column];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[r]) || double.IsNaN(values[r]))
            {
                throw new InvalidDataException(
                    $"{Source}: line {_lines[r]}, column '{_columns[column]}': '{text}' is not a number (invariant culture, for example 93.66 or 1.5e7).");
            }
        }

        return values;
    }
}
