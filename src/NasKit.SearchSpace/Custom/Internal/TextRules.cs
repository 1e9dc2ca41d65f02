using System.Globalization;

namespace NasKit.SearchSpace.Custom.Internal;

/// <summary>The character rules for labels and value texts of custom search spaces, and culture-invariant number formatting.</summary>
internal static class TextRules
{
    /// <summary>The rule for labels, as stated in error messages.</summary>
    public const string LabelRule =
        "a label must be 1 to 128 characters long, start with an ASCII letter or '_', and use only ASCII letters, digits, '_', '-' and '.'";

    /// <summary>The rule for categorical value texts, as stated in error messages.</summary>
    public const string ValueRule =
        "a value's text must be 1 to 128 characters long and use only ASCII letters, digits, '_', '-', '.' and '+'";

    public static bool IsLabel(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 128 || !(char.IsAsciiLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValueText(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 128)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    public static void EnsureLabel(string label, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(label, parameterName);
        if (!IsLabel(label))
        {
            throw new ArgumentException($"'{label}' is not a valid label: {LabelRule}.", parameterName);
        }
    }

    /// <summary>Formats a double so that it parses back to the same value on every machine and culture.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a value of any type culture-invariantly.</summary>
    public static string Format(object value) => value switch
    {
        double d => Format(d),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
