using System.Text;

namespace NasKit.Objectives.Internal;

/// <summary>
/// Reads comma-separated records: a field may be quoted with <c>"</c> (a doubled quote inside stands for one, and commas and line
/// breaks inside are kept); line breaks are <c>\n</c> or <c>\r\n</c>; blank lines are skipped.
/// </summary>
internal static class CsvParser
{
    /// <summary>Yields each record's fields with the 1-based line number where the record starts.</summary>
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append((char)c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    if (fieldStarted || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        yield return (recordLine, fields.ToArray());
                    }

                    fields.Clear();
                    field.Clear();
                    fieldStarted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }

        if (inQuotes)
        {
            throw new InvalidDataException($"{source}: the quoted field that starts on line {recordLine} is never closed.");
        }

        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields.ToArray());
        }
    }
}
