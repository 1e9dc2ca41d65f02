namespace NasKit.Samples.Shared;

/// <summary>
/// The command-line loop every sample shares: <c>--name value</c> pairs applied one by one to an immutable options record, with
/// <c>--help</c> and one readable error message for a missing value, a malformed number or an unknown option.
/// </summary>
internal static class OptionParser
{
    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="defaults">The options before any argument.</param>
    /// <param name="apply">Returns the options with one <c>--name value</c> applied; throws <see cref="ArgumentException"/> for an unknown
    /// option or a bad value, <see cref="FormatException"/> or <see cref="OverflowException"/> for a malformed number.</param>
    /// <param name="error">Null on success, empty for <c>--help</c>, otherwise what was wrong.</param>
    /// <returns>The options, or null when <paramref name="error"/> is set.</returns>
    public static T? Parse<T>(string[] args, T defaults, Func<T, string, string, T> apply, out string? error)
        where T : class
    {
        var options = defaults;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                error = string.Empty;
                return null;
            }

            if (i + 1 >= args.Length)
            {
                error = $"Option {name} needs a value.";
                return null;
            }

            var value = args[++i];
            try
            {
                options = apply(options, name, value);
            }
            catch (FormatException)
            {
                error = $"Option {name} expects a number, but got '{value}'.";
                return null;
            }
            catch (OverflowException)
            {
                error = $"Option {name} is out of range: '{value}'.";
                return null;
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
                return null;
            }
        }

        return options;
    }
}
