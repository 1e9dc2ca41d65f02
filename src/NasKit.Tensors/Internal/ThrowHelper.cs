using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NasKit.Tensors.Internal;

/// <summary>Throw helpers kept out of hot paths so callers stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string message, string? paramName = null) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static T ThrowArgument<T>(string message, string? paramName = null) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(Tensor), "The tensor was disposed (explicitly or by the end of its TensorScope); its storage may already be reused.");

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, object actual, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actual, message);

    /// <summary>Formats a shape as <c>[2, 3, 4]</c>, the form every error message uses.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0)
        {
            return "[]";
        }

        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}
