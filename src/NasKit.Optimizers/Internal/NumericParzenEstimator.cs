using NasKit.Tensors;

namespace NasKit.Optimizers.Internal;

/// <summary>
/// Optuna's independent-mode Parzen estimator of one numeric variable (ALGORITHMS.md §14.5, the Optuna 4.0 rule): a weighted mixture
/// of normal kernels truncated to [low, high], one per observation plus an optional wide prior kernel; discretised on the step grid
/// for stepped variables, built in log space for log variables.
/// </summary>
/// <remarks>
/// <para>Kernel centres are the observations (their logs for a log variable). Bandwidths: the centres and the prior centre
/// (low + high)/2 are sorted between the sentinels low − step/2 and high + step/2; each σ is the larger of the gaps to its two neighbours;
/// without <see cref="ParzenEstimatorParameters.ConsiderEndpoints"/> the first and last sorted centres use only their inner gap; the
/// magic clip bounds σ to [(high − low + step)/min(100, 1 + kernels), high − low + step]. The prior kernel has σ = high − low + step.</para>
/// <para>A log variable is modelled in log space without a step (Optuna 4.0), and <see cref="LogPdf"/> is the density of log x: the
/// Jacobian 1/x is left out, as it cancels in TPE's ratio l(x)/g(x). A stepped variable has probability mass
/// Φ((x + step/2 − μ)/σ) − Φ((x − step/2 − μ)/σ) on each grid point, renormalised over [low − step/2, high + step/2].</para>
/// </remarks>
internal sealed class NumericParzenEstimator
{
    private const int MaxRejections = 10_000;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _weights;
    private readonly double _low;
    private readonly double _high;
    private readonly double? _step;
    private readonly bool _log;

    /// <summary>Initializes a new instance of the <see cref="NumericParzenEstimator"/> class.</summary>
    /// <param name="observations">The observed values, in the variable's own units, each in [low, high].</param>
    /// <param name="weights">One positive weight per observation.</param>
    /// <param name="low">The smallest value (positive for a log variable).</param>
    /// <param name="high">The largest value (greater than <paramref name="low"/>).</param>
    /// <param name="step">The grid step of an integer or stepped variable, or null for a continuous one (ignored with <paramref name="log"/>).</param>
    /// <param name="log">Whether the variable is searched in log space.</param>
    /// <param name="parameters">The estimator's knobs; null uses Optuna's defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The bounds, step or an observation are invalid.</exception>
    /// <exception cref="ArgumentException">The weights do not match the observations or are not positive and finite.</exception>
    public NumericParzenEstimator(ReadOnlySpan<double> observations, ReadOnlySpan<double> weights, double low, double high, double? step, bool log,
        ParzenEstimatorParameters? parameters = null)
    {
        var p = parameters ?? ParzenEstimatorParameters.Default;
        if (!(low < high) || !double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, $"'low < high' must hold with both finite, but got low={low}, high={high}.");
        }

        if (log && !(low > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, $"A log variable needs 'low > 0', but got low={low}.");
        }

        if (step is { } s && !log && (!(s > 0) || !double.IsFinite(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(step), s, $"The step must be positive and finite, but got step={s}.");
        }

        ParzenGuard.CheckWeights(observations.Length, weights, p);
        for (var i = 0; i < observations.Length; i++)
        {
            if (!(observations[i] >= low && observations[i] <= high))
            {
                throw new ArgumentOutOfRangeException(nameof(observations), observations[i], $"Every observation must lie in [{low}, {high}], but observations[{i}]={observations[i]}.");
            }
        }

        _log = log;
        _step = log ? null : step;
        _low = log ? Math.Log(low) : low;
        _high = log ? Math.Log(high) : high;
        var mus = new double[observations.Length];
        for (var i = 0; i < mus.Length; i++)
        {
            mus[i] = log ? Math.Log(observations[i]) : observations[i];
        }

        var considerPrior = p.ConsiderPrior || mus.Length == 0;
        var sigmas = Bandwidths(mus, considerPrior, p);
        if (considerPrior)
        {
            _mus = [.. mus, 0.5 * (_low + _high)];
            _sigmas = [.. sigmas, _high - _low + StepOrZero];
        }
        else
        {
            _mus = mus;
            _sigmas = sigmas;
        }

        _weights = ParzenGuard.MixtureWeights(weights, p);
    }

    /// <summary>Gets the kernel centres (in log space for a log variable), the prior's last when it is considered.</summary>
    public IReadOnlyList<double> Mus => _mus;

    /// <summary>Gets the kernel bandwidths, in the order of <see cref="Mus"/>.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    /// <summary>Gets the normalised mixture weights, in the order of <see cref="Mus"/>.</summary>
    public IReadOnlyList<double> Weights => _weights;

    private double StepOrZero => _step ?? 0;

    /// <summary>Computes the log density (log probability for a stepped variable) of a value.</summary>
    /// <param name="x">The value, in the variable's own units.</param>
    /// <returns>The log density of x (of log x for a log variable); −∞ outside the domain.</returns>
    public double LogPdf(double x)
    {
        var t = _log ? Math.Log(x) : x;
        Span<double> terms = _mus.Length <= 256 ? stackalloc double[_mus.Length] : new double[_mus.Length];
        for (var k = 0; k < _mus.Length; k++)
        {
            var (mu, sigma) = (_mus[k], _sigmas[k]);
            double logDensity;
            if (_step is { } step)
            {
                var (lower, upper) = (_low - (step / 2), _high + (step / 2));
                var xLow = Math.Max(t - (step / 2), lower);
                var xHigh = Math.Min(t + (step / 2), upper);
                logDensity = NormalMath.LogGaussMass((xLow - mu) / sigma, (xHigh - mu) / sigma) - NormalMath.LogGaussMass((lower - mu) / sigma, (upper - mu) / sigma);
            }
            else
            {
                logDensity = t < _low || t > _high
                    ? double.NegativeInfinity
                    : NormalMath.LogPhi((t - mu) / sigma) - Math.Log(sigma) - NormalMath.LogGaussMass((_low - mu) / sigma, (_high - mu) / sigma);
            }

            terms[k] = Math.Log(_weights[k]) + logDensity;
        }

        return NormalMath.LogSumExp(terms);
    }

    /// <summary>Draws a value: a kernel by mixture weight, then its truncated normal (rounded to the grid for a stepped variable).</summary>
    /// <param name="generator">The random source.</param>
    /// <returns>The value, in the variable's own units.</returns>
    public double Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var k = ParzenGuard.PickIndex(_weights, generator);
        var (lower, upper) = _step is { } s ? (_low - (s / 2), _high + (s / 2)) : (_low, _high);
        var t = 0.5 * (lower + upper);
        // Rejection from the untruncated kernel: every centre lies in the domain and σ is at most its width, so at least about a third
        // of the draws are accepted.
        for (var attempt = 0; attempt < MaxRejections; attempt++)
        {
            var draw = _mus[k] + (_sigmas[k] * generator.NextNormal());
            if (draw >= lower && draw <= upper)
            {
                t = draw;
                break;
            }
        }

        if (_step is { } step)
        {
            t = Math.Clamp(_low + (Math.Round((t - _low) / step) * step), _low, _high);
        }

        return _log ? Math.Clamp(Math.Exp(t), Math.Exp(_low), Math.Exp(_high)) : t;
    }

    private double[] Bandwidths(double[] mus, bool considerPrior, ParzenEstimatorParameters p)
    {
        double[] withPrior = considerPrior ? [.. mus, 0.5 * (_low + _high)] : mus;
        var order = Enumerable.Range(0, withPrior.Length).OrderBy(i => withPrior[i]).ToArray();
        var sorted = new double[withPrior.Length + 2];
        sorted[0] = _low - (StepOrZero / 2);
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i + 1] = withPrior[order[i]];
        }

        sorted[^1] = _high + (StepOrZero / 2);
        var sortedSigmas = new double[withPrior.Length];
        for (var i = 0; i < sortedSigmas.Length; i++)
        {
            sortedSigmas[i] = Math.Max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
        }

        if (!p.ConsiderEndpoints && sorted.Length >= 4)
        {
            sortedSigmas[0] = sorted[2] - sorted[1];
            sortedSigmas[^1] = sorted[^2] - sorted[^3];
        }

        var range = _high - _low + StepOrZero;
        var kernels = mus.Length + (considerPrior ? 1 : 0);
        var minSigma = p.ConsiderMagicClip ? range / Math.Min(100.0, 1.0 + kernels) : 1e-12;
        var sigmas = new double[mus.Length];
        for (var i = 0; i < order.Length; i++)
        {
            if (order[i] < mus.Length)
            {
                sigmas[order[i]] = Math.Clamp(sortedSigmas[i], minSigma, range);
            }
        }

        return sigmas;
    }
}
