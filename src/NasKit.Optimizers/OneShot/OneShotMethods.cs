namespace NasKit.Optimizers.OneShot;

/// <summary>Converts <see cref="OneShotMethod"/> values to and from the names the CLI and the stores use (<c>darts</c>, <c>darts2</c>,
/// <c>gdas</c>, <c>spos</c>, <c>zo-darts</c>, <c>zo-darts+</c>).</summary>
public static class OneShotMethods
{
    private static readonly (OneShotMethod Method, string Name)[] s_names =
    [
        (OneShotMethod.Darts, "darts"),
        (OneShotMethod.Darts2, "darts2"),
        (OneShotMethod.Gdas, "gdas"),
        (OneShotMethod.Spos, "spos"),
        (OneShotMethod.ZoDarts, "zo-darts"),
        (OneShotMethod.ZoDartsPlus, "zo-darts+"),
    ];

    /// <summary>Gets every method's name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(s_names.Select(n => n.Name).ToArray());

    /// <summary>Gets a method's name.</summary>
    /// <param name="method">The method.</param>
    /// <returns>The name, for example <c>zo-darts+</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined method.</exception>
    public static string GetName(OneShotMethod method)
    {
        foreach (var (m, name) in s_names)
        {
            if (m == method)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(method), method, $"Unknown one-shot method {(int)method}.");
    }

    /// <summary>Parses a method name (case-insensitive).</summary>
    /// <param name="name">The name, for example <c>darts2</c>.</param>
    /// <returns>The method.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="FormatException">The name is not one of <see cref="Names"/>.</exception>
    public static OneShotMethod Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (m, n) in s_names)
        {
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        throw new FormatException($"Unknown one-shot method '{name}'; expected one of {string.Join(", ", s_names.Select(n => n.Name))}.");
    }
}
