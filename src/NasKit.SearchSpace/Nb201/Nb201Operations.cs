namespace NasKit.SearchSpace.Nb201;

/// <summary>Maps <see cref="Nb201Operation"/> values to and from the benchmark's operation names (<c>none</c>, <c>skip_connect</c>, ...).</summary>
public static class Nb201Operations
{
    /// <summary>The number of candidate operations per edge.</summary>
    public const int Count = 5;

    private static readonly string[] s_names = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>Gets the benchmark's operation names in op-index order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(s_names);

    /// <summary>Gets the benchmark name of an operation.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The name, for example <c>nor_conv_3x3</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined operation.</exception>
    public static string GetName(Nb201Operation operation)
    {
        EnsureDefined(operation, nameof(operation));
        return s_names[(int)operation];
    }

    /// <summary>Returns whether a value is one of the five defined operations.</summary>
    /// <param name="operation">The value.</param>
    /// <returns>True when it is defined.</returns>
    public static bool IsDefined(Nb201Operation operation) => (uint)operation < Count;

    /// <summary>Parses a benchmark operation name (case-sensitive, ordinal).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="FormatException">The name is not one of the benchmark's operation names.</exception>
    public static Nb201Operation Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var operation)
            ? operation
            : throw new FormatException($"'{name}' is not a NAS-Bench-201 operation; the operations are {string.Join(", ", s_names)}.");
    }

    /// <summary>Parses a benchmark operation name without throwing.</summary>
    /// <param name="name">The name.</param>
    /// <param name="operation">The operation, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, out Nb201Operation operation)
    {
        for (var i = 0; i < s_names.Length; i++)
        {
            if (name.SequenceEqual(s_names[i]))
            {
                operation = (Nb201Operation)i;
                return true;
            }
        }

        operation = default;
        return false;
    }

    /// <summary>Throws when a value is not a defined operation.</summary>
    /// <param name="operation">The value.</param>
    /// <param name="parameterName">The parameter that held it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined operation.</exception>
    internal static void EnsureDefined(Nb201Operation operation, string parameterName)
    {
        if (!IsDefined(operation))
        {
            throw new ArgumentOutOfRangeException(parameterName, (int)operation, $"A NAS-Bench-201 operation must be one of 0..{Count - 1} ({string.Join(", ", s_names)}), but got {(int)operation}.");
        }
    }
}
