using System.Globalization;

namespace NasKit.Hardware.Devices;

/// <summary>Holds the outcome of checking one limit of a <see cref="DeviceProfile"/>.</summary>
public sealed record LimitCheck
{
    /// <summary>Initializes a new instance of the <see cref="LimitCheck"/> class.</summary>
    /// <param name="limit">The limit checked.</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <param name="value">The network's value.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximum"/> is not positive and finite, or <paramref name="value"/> is negative or not finite.</exception>
    public LimitCheck(DeviceLimit limit, double maximum, double value)
    {
        if (!double.IsFinite(maximum) || maximum <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "A limit must be positive and finite.");
        }

        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A checked value must be finite and not negative.");
        }

        Limit = limit;
        Maximum = maximum;
        Value = value;
    }

    /// <summary>Gets the limit checked.</summary>
    public DeviceLimit Limit { get; }

    /// <summary>Gets the largest allowed value.</summary>
    public double Maximum { get; }

    /// <summary>Gets the network's value.</summary>
    public double Value { get; }

    /// <summary>Gets whether the value is within the limit (equal passes).</summary>
    public bool Passed => Value <= Maximum;

    /// <summary>Gets how far the value exceeds the limit (0 when it passes).</summary>
    public double Excess => Math.Max(0, Value - Maximum);

    /// <summary>Gets the excess as a fraction of the limit (0.57 means 57% over; 0 when it passes).</summary>
    public double ExcessFraction => Excess / Maximum;

    /// <summary>Gets the headroom as a fraction of the limit: 1 − value / maximum (negative when the limit is exceeded).</summary>
    public double Headroom => 1 - (Value / Maximum);

    /// <summary>Gets a one-line reason when the limit is exceeded, for example
    /// <c>peak activation memory 412,160 B exceeds 262,144 B by 150,016 B (57%)</c>; null when it passes.</summary>
    public string? Reason => Passed ? null : string.Create(CultureInfo.InvariantCulture, $"{Label} {Format(Value)} exceeds {Format(Maximum)} by {Format(Excess)} ({Percent(ExcessFraction)})");

    /// <summary>Returns the reason, or a one-line note that the limit holds.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Reason ?? string.Create(CultureInfo.InvariantCulture, $"{Label} {Format(Value)} within {Format(Maximum)}");

    private string Label => Limit switch
    {
        DeviceLimit.Parameters => "parameters",
        DeviceLimit.Macs => "MACs",
        DeviceLimit.PeakActivationBytes => "peak activation memory",
        DeviceLimit.ModelBytes => "model size",
        DeviceLimit.LatencyMilliseconds => "predicted latency",
        _ => Limit.ToString(),
    };

    private string Format(double v) => Limit switch
    {
        DeviceLimit.PeakActivationBytes or DeviceLimit.ModelBytes => v.ToString("N0", CultureInfo.InvariantCulture) + " B",
        DeviceLimit.LatencyMilliseconds => v.ToString("F2", CultureInfo.InvariantCulture) + " ms",
        _ => v.ToString("N0", CultureInfo.InvariantCulture),
    };

    private static string Percent(double fraction)
    {
        var percent = fraction * 100;
        return percent >= 1
            ? Math.Round(percent, MidpointRounding.AwayFromZero).ToString("F0", CultureInfo.InvariantCulture) + "%"
            : percent.ToString("0.##", CultureInfo.InvariantCulture) + "%";
    }
}
