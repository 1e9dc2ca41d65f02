using System.Globalization;

namespace NasKit.SearchSpace.Darts.Internal;

/// <summary>
/// Reads DARTS's genotype text (<c>Genotype(normal=[('op', i), …], normal_concat=range(2, 6), reduce=[…], reduce_concat=…)</c>) with a
/// single forward cursor, so that every error names the character where the text stopped making sense.
/// </summary>
internal sealed class DartsGenotypeParser
{
    private readonly string _text;
    private int _pos;

    private DartsGenotypeParser(string text) => _text = text;

    /// <summary>Parses a genotype and checks the space's rules, reporting the first problem with its position.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The genotype.</returns>
    /// <exception cref="ArchitectureFormatException">The text is malformed or breaks a rule.</exception>
    public static DartsGenotype Parse(string text) => new DartsGenotypeParser(text).ParseGenotype();

    private DartsGenotype ParseGenotype()
    {
        SkipWhitespace();
        ExpectWord("Genotype");
        Expect('(');
        ExpectKeyword("normal");
        var normal = ParseCell("normal");
        Expect(',');
        ExpectKeyword("normal_concat");
        ParseConcat("normal_concat");
        Expect(',');
        ExpectKeyword("reduce");
        var reduce = ParseCell("reduce");
        Expect(',');
        ExpectKeyword("reduce_concat");
        ParseConcat("reduce_concat");
        Expect(')');
        SkipWhitespace();
        if (_pos < _text.Length)
        {
            throw Fail(_pos, $"the text must end after the closing ')', but found {Found()}.");
        }

        return new DartsGenotype(normal, reduce);
    }

    private List<DartsEdge> ParseCell(string cell)
    {
        Expect('[');
        var edges = new List<DartsEdge>(DartsGenotype.EdgesPerCell);
        SkipWhitespace();
        if (Peek() == ']')
        {
            throw Fail(_pos, $"the {cell} cell must have {DartsGenotype.EdgesPerCell} (operation, input) pairs, but the list is empty.");
        }

        while (true)
        {
            SkipWhitespace();
            var pairStart = _pos;
            var k = edges.Count;
            if (k == DartsGenotype.EdgesPerCell)
            {
                throw Fail(pairStart, $"the {cell} cell must have {DartsGenotype.EdgesPerCell} (operation, input) pairs (2 for each of its {DartsGenotype.NodeCount} nodes), but the list has more.");
            }

            var node = k / 2;
            Expect('(');
            SkipWhitespace();
            var opStart = _pos;
            var name = ReadQuoted();
            if (!DartsOperations.TryParse(name, out var op))
            {
                throw Fail(opStart, $"unknown operation '{name}'; the operations are {DartsOperations.GetNameList(includeNone: false)}.");
            }

            if (op == DartsOperation.None)
            {
                throw Fail(opStart, $"the operation 'none' is not allowed in a discrete DARTS genotype (DARTS's discretisation never keeps it); the operations are {DartsOperations.GetNameList(includeNone: false)}.");
            }

            Expect(',');
            SkipWhitespace();
            var inputStart = _pos;
            var input = ReadInteger();
            if (input > node + 1)
            {
                throw Fail(inputStart, string.Create(CultureInfo.InvariantCulture, $"'0 <= input <= {node + 1}' must hold for node {node} of the {cell} cell (inputs 0 and 1 are the previous cells, 2 + j is node j), but got input={input}."));
            }

            if (k % 2 == 1 && edges[k - 1].Input == input)
            {
                throw Fail(inputStart, string.Create(CultureInfo.InvariantCulture, $"the two inputs of node {node} of the {cell} cell must differ, but both are {input}."));
            }

            Expect(')');
            edges.Add(new DartsEdge(op, input));
            SkipWhitespace();
            if (Peek() == ',')
            {
                _pos++;
                SkipWhitespace();
                if (Peek() != ']')
                {
                    continue;
                }
            }

            if (Peek() == ']')
            {
                if (edges.Count != DartsGenotype.EdgesPerCell)
                {
                    throw Fail(_pos, string.Create(CultureInfo.InvariantCulture, $"the {cell} cell must have {DartsGenotype.EdgesPerCell} (operation, input) pairs (2 for each of its {DartsGenotype.NodeCount} nodes), but got {edges.Count}."));
                }

                _pos++;
                return edges;
            }

            throw Fail(_pos, $"expected ',' or ']' after a pair of the {cell} cell, but found {Found()}.");
        }
    }

    private void ParseConcat(string keyword)
    {
        SkipWhitespace();
        var start = _pos;
        var values = new List<int>(4);
        if (Peek() == '[')
        {
            _pos++;
            SkipWhitespace();
            while (Peek() != ']')
            {
                SkipWhitespace();
                values.Add(ReadInteger());
                SkipWhitespace();
                if (Peek() == ',')
                {
                    _pos++;
                    SkipWhitespace();
                }
                else if (Peek() != ']')
                {
                    throw Fail(_pos, $"expected ',' or ']' in {keyword}, but found {Found()}.");
                }
            }

            _pos++;
        }
        else if (IsIdentifierStart(Peek()))
        {
            ExpectWord("range");
            Expect('(');
            SkipWhitespace();
            var from = ReadInteger();
            Expect(',');
            SkipWhitespace();
            var to = ReadInteger();
            Expect(')');
            for (var i = from; i < to && values.Count <= DartsGenotype.Concat.Count; i++)
            {
                values.Add(i);
            }
        }
        else
        {
            throw Fail(start, $"{keyword} must be range(2, 6) or [2, 3, 4, 5], but found {Found()}.");
        }

        if (!values.SequenceEqual(DartsGenotype.Concat))
        {
            throw Fail(start, $"{keyword} must be range(2, 6) or [2, 3, 4, 5] (the cell output concatenates its four intermediate nodes), but got '{_text[start.._pos]}'.");
        }
    }

    private void ExpectKeyword(string keyword)
    {
        SkipWhitespace();
        var start = _pos;
        var word = ReadIdentifier();
        if (!string.Equals(word, keyword, StringComparison.Ordinal))
        {
            throw Fail(start, $"expected '{keyword}=', but found {(word.Length == 0 ? Found(start) : "'" + word + "'")}.");
        }

        Expect('=');
    }

    private void ExpectWord(string word)
    {
        SkipWhitespace();
        var start = _pos;
        var actual = ReadIdentifier();
        if (!string.Equals(actual, word, StringComparison.Ordinal))
        {
            throw Fail(start, $"expected '{word}', but found {(actual.Length == 0 ? Found(start) : "'" + actual + "'")}.");
        }
    }

    private void Expect(char c)
    {
        SkipWhitespace();
        if (Peek() != c)
        {
            throw Fail(_pos, $"expected '{c}', but found {Found()}.");
        }

        _pos++;
    }

    private string ReadQuoted()
    {
        var start = _pos;
        var quote = Peek();
        if (quote is not ('\'' or '"'))
        {
            throw Fail(start, $"expected a quoted operation name such as 'sep_conv_3x3', but found {Found()}.");
        }

        var end = _text.IndexOf(quote, start + 1);
        if (end < 0)
        {
            throw Fail(start, "the quoted operation name is not closed.");
        }

        _pos = end + 1;
        return _text[(start + 1)..end];
    }

    private int ReadInteger()
    {
        var start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]) && _pos - start < 9)
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Fail(start, $"expected a non-negative integer, but found {Found()}.");
        }

        if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            throw Fail(start, "the integer is too large (at most 9 digits).");
        }

        return int.Parse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private string ReadIdentifier()
    {
        var start = _pos;
        while (_pos < _text.Length && (IsIdentifierStart(_text[_pos]) || char.IsAsciiDigit(_text[_pos])))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private string Found() => Found(_pos);

    private string Found(int at) =>
        at >= _text.Length ? "the end of the text" : "'" + (char.IsControl(_text[at]) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)_text[at]:X4}") : _text[at].ToString()) + "'";

    private ArchitectureFormatException Fail(int position, string reason) => new(DartsGenotype.Name, _text, position, reason);
}
