namespace NasKit.SearchSpace.Operations;

/// <summary>Rounds channel counts the way mobile networks (MobileNetV2/V3, Once-for-All) do, so that widths are hardware-friendly multiples.</summary>
public static class ChannelRounding
{
    /// <summary>Gets the divisor that MobileNet-style networks round channel counts to.</summary>
    public const int DefaultDivisor = 8;

    /// <summary>Rounds a channel count to the nearest multiple of <paramref name="divisor"/>, never below <paramref name="minValue"/> and never more than 10% below the value.</summary>
    /// <param name="value">The unrounded channel count (for example a base width times a width multiplier).</param>
    /// <param name="divisor">The multiple to round to.</param>
    /// <param name="minValue">The smallest result; null means <paramref name="divisor"/>.</param>
    /// <returns>The rounded channel count.</returns>
    /// <remarks>
    /// The rule of the TensorFlow MobileNet reference that Once-for-All also uses: r = max(minValue, ⌊(value + divisor/2) / divisor⌋ · divisor),
    /// and when r &lt; 0.9 · value one more <paramref name="divisor"/> is added. Examples: 16 → 16, 18 → 24 (16 would lose more than 10%),
    /// 20 → 24, 3 → 8.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or not finite, <paramref name="divisor"/> is not positive, or <paramref name="minValue"/> is negative.</exception>
    public static int MakeDivisible(double value, int divisor = DefaultDivisor, int? minValue = null)
    {
        if (!double.IsFinite(value) || value < 0 || value > int.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"'0 <= {nameof(value)} <= {int.MaxValue / 2}' must hold (a finite channel count), but got {nameof(value)}={value}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(divisor);
        var min = minValue ?? divisor;
        ArgumentOutOfRangeException.ThrowIfNegative(min, nameof(minValue));
        var rounded = Math.Max(min, (int)Math.Floor(value + (divisor / 2.0)) / divisor * divisor);
        if (rounded < 0.9 * value)
        {
            rounded += divisor;
        }

        return rounded;
    }
}
