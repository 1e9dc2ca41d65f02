using System.Globalization;

namespace NasKit.SearchSpace.Nb201.Internal;

/// <summary>Parses the benchmark's text form <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c>, reporting the position where it breaks.</summary>
internal static class Nb201Parser
{
    private const int Groups = Nb201Cell.NodeCount - 1;

    internal static Nb201Cell Parse(string text)
    {
        Span<Nb201Operation> ops = stackalloc Nb201Operation[Nb201Cell.EdgeCount];
        var pos = 0;
        for (var to = 1; to <= Groups; to++)
        {
            if (to > 1)
            {
                if (pos >= text.Length)
                {
                    throw Fail(text, pos, $"the text ends after {to - 1} group(s), but a cell has {Groups} groups (one per node 1..{Groups}) joined by '+'.");
                }

                if (text[pos] != '+')
                {
                    throw Fail(text, pos, $"expected '+' before the group of node {to}, but got {Describe(text[pos])}.");
                }

                pos++;
            }

            if (pos >= text.Length)
            {
                throw Fail(text, pos, $"the text ends where the group of node {to} should start with '|'.");
            }

            if (text[pos] != '|')
            {
                throw Fail(text, pos, $"the group of node {to} must start with '|', but got {Describe(text[pos])}.");
            }

            pos++;
            for (var from = 0; from < to; from++)
            {
                pos = ParseEntry(text, pos, to, from, ops);
            }

            if (pos < text.Length && char.IsAsciiLetter(text[pos]))
            {
                throw Fail(text, pos, $"node {to} has {to} input(s) (~0..~{to - 1}), but its group has more entries.");
            }
        }

        if (pos < text.Length)
        {
            throw Fail(text, pos, $"a cell has {Groups} groups, but the text goes on with {Describe(text[pos])} after the group of node {Groups}.");
        }

        return new Nb201Cell(ops);
    }

    private static int ParseEntry(string text, int pos, int to, int from, Span<Nb201Operation> ops)
    {
        if (pos >= text.Length || text[pos] == '+')
        {
            throw Fail(text, pos, $"node {to} has {to} input(s) (~0..~{to - 1}), but its group has only {from}.");
        }

        var start = pos;
        while (pos < text.Length && text[pos] != '|' && text[pos] != '+')
        {
            pos++;
        }

        var entry = text.AsSpan(start, pos - start);
        var tilde = entry.IndexOf('~');
        var name = tilde < 0 ? entry : entry[..tilde];
        if (!Nb201Operations.TryParse(name, out var op))
        {
            throw Fail(text, start, $"unknown operation '{name}'; the operations are {string.Join(", ", Nb201Operations.Names)}.");
        }

        if (tilde < 0)
        {
            throw Fail(text, start + entry.Length, $"the entry '{entry}' needs '~{from}' naming its source node.");
        }

        var sourceStart = start + tilde + 1;
        var source = entry[(tilde + 1)..];
        if (source.IsEmpty || source.Length > 9 || !IsAsciiDigits(source))
        {
            throw Fail(text, sourceStart, $"the source after '~' must be a node index, but got '{source}'.");
        }

        var index = int.Parse(source, NumberStyles.None, CultureInfo.InvariantCulture);
        if (index != from)
        {
            throw Fail(text, sourceStart, $"entry {from + 1} of node {to}'s group must come from node {from} (~{from}; sources are listed as ~0..~{to - 1}), but got ~{index}.");
        }

        if (pos >= text.Length || text[pos] != '|')
        {
            throw Fail(text, pos, $"expected '|' after '{entry}', but got {(pos >= text.Length ? "the end of the text" : Describe(text[pos]))}.");
        }

        ops[Nb201Cell.GetEdgeIndex(to, from)] = op;
        return pos + 1;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(char c) =>
        char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}") : "'" + c + "'";

    private static ArchitectureFormatException Fail(string text, int position, string reason) =>
        new(Nb201Cell.Space, text, position, reason);
}
