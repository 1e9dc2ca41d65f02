using System.Globalization;

namespace NasKit.SearchSpace.MobileNetV3.Internal;

/// <summary>Parses the text form <c>r=R|k3e4,k5e6|…</c>, checking every value against the space's choices so errors carry positions.</summary>
internal sealed class MobileNetV3TextParser
{
    private readonly MobileNetV3SpaceOptions _options;
    private readonly string _text;
    private int _pos;

    private MobileNetV3TextParser(MobileNetV3SpaceOptions options, string text)
    {
        _options = options;
        _text = text;
    }

    public static MobileNetV3Architecture Parse(MobileNetV3SpaceOptions options, string text) => new MobileNetV3TextParser(options, text).Run();

    private MobileNetV3Architecture Run()
    {
        Expect('r', "the text must start with 'r=' followed by the resolution");
        Expect('=', "'r' must be followed by '='");
        var resolutionAt = _pos;
        var resolution = ReadNumber("the resolution");
        if (!_options.Resolutions.Contains(resolution))
        {
            Fail(resolutionAt, Invariant($"the resolution must be one of {{{string.Join(", ", _options.Resolutions)}}}, but got {resolution}"));
        }

        var stages = _options.StageWidths.Count;
        var depths = new int[stages];
        var kernels = new IReadOnlyList<int>[stages];
        var expands = new IReadOnlyList<int>[stages];
        for (var s = 0; s < stages; s++)
        {
            if (_pos >= _text.Length)
            {
                Fail(_pos, Invariant($"the space has {stages} stages, each written as '|' followed by its blocks, but the text ends after {s}"));
            }

            Expect('|', Invariant($"stage {s + 1} must start with '|'"));
            var stageAt = _pos;
            var ks = new List<int>();
            var es = new List<int>();
            do
            {
                if (ks.Count > 0)
                {
                    _pos++;
                }

                Expect('k', Invariant($"each block of stage {s + 1} is written 'k<kernel>e<expansion>'"));
                var kAt = _pos;
                var k = ReadNumber("a kernel size");
                if (!_options.KernelSizeChoices.Contains(k))
                {
                    Fail(kAt, Invariant($"the kernel size must be one of {{{string.Join(", ", _options.KernelSizeChoices)}}}, but got {k}"));
                }

                Expect('e', "the kernel size must be followed by 'e<expansion>'");
                var eAt = _pos;
                var e = ReadNumber("an expansion ratio");
                if (!_options.ExpandRatioChoices.Contains(e))
                {
                    Fail(eAt, Invariant($"the expansion ratio must be one of {{{string.Join(", ", _options.ExpandRatioChoices)}}}, but got {e}"));
                }

                ks.Add(k);
                es.Add(e);
            }
            while (_pos < _text.Length && _text[_pos] == ',');

            if (!_options.DepthChoices.Contains(ks.Count))
            {
                Fail(stageAt, Invariant($"the depth (number of blocks) of stage {s + 1} must be one of {{{string.Join(", ", _options.DepthChoices)}}}, but the stage lists {ks.Count}"));
            }

            depths[s] = ks.Count;
            kernels[s] = ks;
            expands[s] = es;
        }

        if (_pos < _text.Length)
        {
            Fail(_pos, _text[_pos] == '|'
                ? Invariant($"the space has {stages} stages, but the text has more")
                : Invariant($"unexpected '{Printable(_text[_pos])}' after the last stage"));
        }

        return new MobileNetV3Architecture(resolution, depths, kernels, expands);
    }

    private void Expect(char c, string rule)
    {
        if (_pos >= _text.Length)
        {
            Fail(_pos, Invariant($"{rule}, but the text ends"));
        }

        if (_text[_pos] != c)
        {
            Fail(_pos, Invariant($"{rule}, but found '{Printable(_text[_pos])}'"));
        }

        _pos++;
    }

    private int ReadNumber(string what)
    {
        var start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            Fail(start, _pos < _text.Length
                ? Invariant($"{what} must be a decimal number, but found '{Printable(_text[_pos])}'")
                : Invariant($"{what} must be a decimal number, but the text ends"));
        }

        var digits = _text[start.._pos];
        if (digits.Length > 1 && digits[0] == '0')
        {
            Fail(start, Invariant($"{what} must be written without leading zeros, but got '{digits}'"));
        }

        if (digits.Length > 9)
        {
            Fail(start, Invariant($"{what} is too large: '{digits}'"));
        }

        return int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private void Fail(int position, string reason) =>
        throw new ArchitectureFormatException(MobileNetV3Architecture.Name, _text, position, reason + ".");

    private static string Printable(char c) => char.IsControl(c) ? Invariant($"\\u{(int)c:x4}") : c.ToString();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
