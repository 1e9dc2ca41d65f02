using System.Globalization;
using NasKit.Supernet.Mixing.Internal;
using NasKit.Tensors;

namespace NasKit.Supernet.Mixing;

/// <summary>
/// ZO-DARTS+'s sparse relaxation: the weights are sparsemax(α / T) with a temperature T that is annealed during the search, so that
/// many weights are exactly zero and their operations are skipped.
/// </summary>
/// <remarks>The gradient is the exact sparsemax Jacobian chained through the division by T (see <see cref="Sparsemax"/>).</remarks>
public sealed class SparsemaxMixing : IMixingRule
{
    /// <summary>The initial temperature T₀ of ZO-DARTS+.</summary>
    public const double DefaultInitialTemperature = 1.5;

    /// <summary>The factor ZO-DARTS+ multiplies the temperature by at each decay.</summary>
    public const double DefaultDecay = 0.75;

    /// <summary>The number of epochs between two decays in ZO-DARTS+.</summary>
    public const int DefaultDecayPeriod = 5;

    private double _temperature;

    /// <summary>Initializes a new instance of the <see cref="SparsemaxMixing"/> class.</summary>
    /// <param name="temperature">The temperature T &gt; 0; the default is ZO-DARTS+'s T₀ = 1.5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is not a positive finite number.</exception>
    public SparsemaxMixing(double temperature = DefaultInitialTemperature) => Temperature = temperature;

    /// <inheritdoc/>
    public string Name => "sparsemax";

    /// <summary>Gets or sets the temperature T that divides the logits.</summary>
    /// <value>The default value is 1.5.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a positive finite number.</exception>
    public double Temperature
    {
        get => _temperature;
        set
        {
            if (!(value > 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"'{nameof(Temperature)} > 0' (finite) must hold, but got {nameof(Temperature)}={value}."));
            }

            _temperature = value;
        }
    }

    /// <summary>Computes ZO-DARTS+'s annealed temperature T(e) = T₀·decay^⌊e / period⌋.</summary>
    /// <param name="epoch">The zero-based epoch e.</param>
    /// <param name="initialTemperature">The initial temperature T₀ &gt; 0.</param>
    /// <param name="decay">The decay factor, in (0, 1].</param>
    /// <param name="period">The number of epochs between decays, positive.</param>
    /// <returns>The temperature of that epoch (1.5·0.75^⌊e/5⌋ with the defaults).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static double AnnealedTemperature(int epoch, double initialTemperature = DefaultInitialTemperature, double decay = DefaultDecay, int period = DefaultDecayPeriod)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(period);
        if (!(initialTemperature > 0) || !double.IsFinite(initialTemperature))
        {
            throw new ArgumentOutOfRangeException(nameof(initialTemperature), initialTemperature, string.Create(CultureInfo.InvariantCulture, $"'{nameof(initialTemperature)} > 0' must hold, but got {initialTemperature}."));
        }

        if (!(decay > 0) || decay > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, string.Create(CultureInfo.InvariantCulture, $"'0 < {nameof(decay)} <= 1' must hold, but got {decay}."));
        }

        return initialTemperature * Math.Pow(decay, epoch / period);
    }

    /// <inheritdoc/>
    public MixingWeights Mix(Tensor logits)
    {
        LogitsGuard.EnsureVector(logits, nameof(logits));
        using var z = logits.Div((float)_temperature);
        return new MixingWeights(Sparsemax.Apply(z));
    }
}
