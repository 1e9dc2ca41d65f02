using System.Globalization;

namespace NasKit.Objectives.Protocol;

/// <summary>
/// Represents the relative improvement of a search method over random sampling from the same space, the metric of "NAS evaluation is
/// frustratingly hard" (Yang, Esperança and Carlucci, ICLR 2020): <c>RI = 100 × (mean(method) − mean(random)) / mean(random)</c>.
/// </summary>
/// <remarks>
/// <para><b>Protocol.</b> <c>method</c> holds the final test accuracy of the architecture each independent search run returned (one per
/// seed; the paper uses 8), <c>random</c> the final test accuracy of as many architectures sampled uniformly from the same space, all
/// trained with the same final-training protocol. RI &gt; 0 means the search helps; report it with both summaries (mean ± std), never with
/// the best run alone.</para>
/// <para>Example from the paper (CIFAR-10, DARTS): mean 97.23 against 96.92 for random sampling gives RI ≈ 0.32.</para>
/// </remarks>
/// <param name="Method">The summary of the search method's results.</param>
/// <param name="Random">The summary of the random-sampling baseline's results.</param>
/// <param name="Value">The relative improvement in percent.</param>
public sealed record RelativeImprovement(SampleSummary Method, SampleSummary Random, double Value)
{
    /// <summary>Computes the relative improvement from per-seed results of the method and of the random baseline.</summary>
    /// <param name="method">The method's results (for example one test accuracy per search seed); at least one, finite.</param>
    /// <param name="random">The random baseline's results; at least one, finite, with a non-zero mean.</param>
    /// <returns>The summaries and the relative improvement.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A list is empty, holds a non-finite value, or the random mean is 0.</exception>
    public static RelativeImprovement Compute(IReadOnlyList<double> method, IReadOnlyList<double> random)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(random);
        var methodSummary = SampleSummary.Of(method);
        var randomSummary = SampleSummary.Of(random);
        return new RelativeImprovement(methodSummary, randomSummary, FromMeans(methodSummary.Mean, randomSummary.Mean));
    }

    /// <summary>Computes <c>100 × (methodMean − randomMean) / randomMean</c>.</summary>
    /// <param name="methodMean">The method's mean result.</param>
    /// <param name="randomMean">The random baseline's mean result; non-zero.</param>
    /// <returns>The relative improvement in percent.</returns>
    /// <exception cref="ArgumentException">A mean is not finite, or <paramref name="randomMean"/> is 0.</exception>
    public static double FromMeans(double methodMean, double randomMean)
    {
        if (!double.IsFinite(methodMean) || !double.IsFinite(randomMean))
        {
            throw new ArgumentException(
                $"Both means must be finite, but got methodMean={methodMean.ToString(CultureInfo.InvariantCulture)}, randomMean={randomMean.ToString(CultureInfo.InvariantCulture)}.",
                nameof(methodMean));
        }

        if (randomMean == 0)
        {
            throw new ArgumentException("The random baseline's mean must be non-zero to divide by it, but got 0.", nameof(randomMean));
        }

        return 100.0 * (methodMean - randomMean) / randomMean;
    }

    /// <summary>Returns <c>RI=… (method … vs random …)</c> in invariant culture, two decimals.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"RI={Value.ToString("F2", CultureInfo.InvariantCulture)}% (method {Method}, random {Random})";
}
