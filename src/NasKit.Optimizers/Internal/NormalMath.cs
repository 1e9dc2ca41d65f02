namespace NasKit.Optimizers.Internal;

/// <summary>
/// The standard normal functions the Parzen estimators need, accurate in the tails: erfc, log Φ and the log of the normal mass of an
/// interval. .NET has no erf, so these are computed here (series for small arguments, continued fraction for large ones).
/// </summary>
internal static class NormalMath
{
    private static readonly double s_logSqrtPi = 0.5 * Math.Log(Math.PI);
    private static readonly double s_logSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Computes the complementary error function erfc(x) = 1 − erf(x) to about 1e-14 relative accuracy.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>erfc(x), in [0, 2].</returns>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        return x < 2 ? 1 - ErfSeries(x) : Math.Exp(LogErfcLarge(x));
    }

    /// <summary>Computes log erfc(x), finite far into the right tail where erfc underflows.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>log erfc(x).</returns>
    public static double LogErfc(double x) => x < 2 ? Math.Log(Erfc(x)) : LogErfcLarge(x);

    /// <summary>Computes the log of the upper tail Q(z) = P(Z &gt; z) of the standard normal.</summary>
    /// <param name="z">The point.</param>
    /// <returns>log Q(z).</returns>
    public static double LogUpperTail(double z) => LogErfc(z / Math.Sqrt(2)) - Math.Log(2);

    /// <summary>Computes the log density of the standard normal.</summary>
    /// <param name="z">The point.</param>
    /// <returns>log φ(z).</returns>
    public static double LogPhi(double z) => (-0.5 * z * z) - s_logSqrt2Pi;

    /// <summary>Computes log(Φ(b) − Φ(a)), the log of the standard normal mass of [a, b], without cancellation in either tail.</summary>
    /// <param name="a">The lower end.</param>
    /// <param name="b">The upper end (at least <paramref name="a"/>).</param>
    /// <returns>The log mass; −∞ when a = b.</returns>
    public static double LogGaussMass(double a, double b)
    {
        if (!(a < b))
        {
            return double.NegativeInfinity;
        }

        if (a >= 0)
        {
            return LogDifference(LogUpperTail(a), LogUpperTail(b));
        }

        if (b <= 0)
        {
            return LogDifference(LogUpperTail(-b), LogUpperTail(-a));
        }

        // Straddles 0: 1 minus both tails, each at most ½.
        return Log1P(-(Math.Exp(LogUpperTail(-a)) + Math.Exp(LogUpperTail(b))));
    }

    /// <summary>Computes log(exp(x) + exp(y) + …) of a span without overflow.</summary>
    /// <param name="values">The logs.</param>
    /// <returns>The log of the sum of their exponentials; −∞ for an empty span.</returns>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        if (double.IsNegativeInfinity(max) || double.IsPositiveInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>Computes log(1 + x) accurately for small x (Kahan's trick; .NET's double.LogP1 is log(x + 1) as written).</summary>
    /// <param name="x">The argument, greater than −1.</param>
    /// <returns>log(1 + x).</returns>
    public static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>Computes exp(x) − 1 accurately for small x (Kahan's trick).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>exp(x) − 1.</returns>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>log(exp(big) − exp(small)) for big ≥ small.</summary>
    private static double LogDifference(double big, double small) =>
        double.IsNegativeInfinity(small) ? big : big + Math.Log(-ExpM1(small - big));

    /// <summary>erf(x) = 2/√π · exp(−x²) · Σ (2x²)ⁿ x / (1·3·…·(2n+1)): every term positive, so no cancellation (used for 0 ≤ x &lt; 2).</summary>
    private static double ErfSeries(double x)
    {
        var term = x;
        var sum = x;
        var twoX2 = 2 * x * x;
        for (var n = 1; n < 200; n++)
        {
            term *= twoX2 / ((2 * n) + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    /// <summary>
    /// log erfc(x) for x ≥ 2 from the continued fraction erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
    /// evaluated with the modified Lentz method.
    /// </summary>
    private static double LogErfcLarge(double x)
    {
        const double Tiny = 1e-300;
        var f = x;
        var c = f;
        var d = 0.0;
        for (var k = 1; k < 1000; k++)
        {
            var a = k / 2.0;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return (-x * x) - s_logSqrtPi - Math.Log(f);
    }
}
