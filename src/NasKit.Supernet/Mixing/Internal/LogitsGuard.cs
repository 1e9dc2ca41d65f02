using NasKit.Tensors;

namespace NasKit.Supernet.Mixing.Internal;

/// <summary>Validates the logits passed to a mixing rule.</summary>
internal static class LogitsGuard
{
    /// <summary>Throws unless <paramref name="logits"/> is a non-empty vector.</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="paramName">The argument name for the exception.</param>
    public static void EnsureVector(Tensor logits, string paramName)
    {
        ArgumentNullException.ThrowIfNull(logits, paramName);
        if (logits.Rank != 1 || logits.NumberOfElements == 0)
        {
            throw new ArgumentException($"Edge logits must be a non-empty vector [K], but got shape [{string.Join(", ", logits.Shape)}].", paramName);
        }
    }
}
