using System.Globalization;
using NasKit.Supernet.Mixing.Internal;
using NasKit.Tensors;

namespace NasKit.Supernet.Mixing;

/// <summary>
/// GDAS's sampling relaxation: draw Gumbel noise g, take y = softmax((α + g) / τ), and use the one-hot vector of argmax y as the
/// weights in the forward pass with the gradient of y in the backward pass (straight-through).
/// </summary>
/// <remarks>
/// <para>The forward weights are exactly one-hot (y + (onehot − y) with the bracket held constant; the unchosen entries are exactly 0),
/// so only the sampled operation runs. The chosen index is distributed as softmax(α) (the Gumbel-max trick) for every τ.</para>
/// <para>Operations that are not run contribute no gradient to their weights; the GDAS reference code instead adds the unchosen
/// weights (value 0) to the edge output, which gives them the sum of the incoming gradient. NasKit does not copy that trick.</para>
/// </remarks>
public sealed class GumbelSoftmaxMixing : IMixingRule
{
    /// <summary>The default temperature τ (GDAS starts at 10 and anneals to 0.1; 1 is neutral).</summary>
    public const double DefaultTau = 1.0;

    private readonly Generator _generator;
    private double _tau;

    /// <summary>Initializes a new instance of the <see cref="GumbelSoftmaxMixing"/> class.</summary>
    /// <param name="generator">The random source of the Gumbel noise; null uses a generator seeded with 0.</param>
    /// <param name="tau">The softmax temperature τ &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is not a positive finite number.</exception>
    public GumbelSoftmaxMixing(Generator? generator = null, double tau = DefaultTau)
    {
        _generator = generator ?? new Generator(0);
        Tau = tau;
    }

    /// <inheritdoc/>
    public string Name => "gumbel-softmax";

    /// <summary>Gets the random source of the Gumbel noise.</summary>
    public Generator Generator => _generator;

    /// <summary>Gets or sets the softmax temperature τ of the straight-through gradient.</summary>
    /// <value>The default value is 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a positive finite number.</exception>
    public double Tau
    {
        get => _tau;
        set
        {
            if (!(value > 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"'{nameof(Tau)} > 0' (finite) must hold, but got {nameof(Tau)}={value}."));
            }

            _tau = value;
        }
    }

    /// <inheritdoc/>
    public MixingWeights Mix(Tensor logits)
    {
        LogitsGuard.EnsureVector(logits, nameof(logits));
        var k = logits.NumberOfElements;
        var noise = new float[k];
        for (var i = 0; i < k; i++)
        {
            // u in the open interval (0, 1), so the Gumbel sample -log(-log u) is finite.
            var u = ((_generator.NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));
            noise[i] = (float)-Math.Log(-Math.Log(u));
        }

        using var g = Tensor.FromArray(noise, k);
        using var perturbed = logits.Add(g);
        using var scaled = perturbed.Div((float)_tau);
        using var soft = scaled.Softmax(0);
        var softValues = soft.ToArray();
        var chosen = 0;
        for (var i = 1; i < k; i++)
        {
            if (softValues[i] > softValues[chosen])
            {
                chosen = i;
            }
        }

        var offset = new float[k];
        for (var i = 0; i < k; i++)
        {
            offset[i] = (i == chosen ? 1f : 0f) - softValues[i];
        }

        using var constant = Tensor.FromArray(offset, k);
        var weights = soft.Add(constant);
        return new MixingWeights(weights);
    }
}
