using System.Globalization;
using System.Text;

namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>Holds the analytic and numerical gradients of a <see cref="GradientChecker"/> run.</summary>
/// <param name="Analytic">The gradients autograd computed, per input.</param>
/// <param name="Numeric">The central-difference gradients, per input.</param>
public sealed record GradientCheckResult(double[][] Analytic, double[][] Numeric)
{
    /// <summary>Returns whether every element is within tolerance.</summary>
    public bool Passes(double rtol, double atol)
    {
        for (var i = 0; i < Analytic.Length; i++)
        {
            for (var j = 0; j < Analytic[i].Length; j++)
            {
                if (!(Math.Abs(Analytic[i][j] - Numeric[i][j]) <= atol + (rtol * Math.Abs(Numeric[i][j]))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Describes the worst mismatches, for assertion messages.</summary>
    public string Describe(double rtol, double atol)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < Analytic.Length; i++)
        {
            var bad = Enumerable.Range(0, Analytic[i].Length)
                .Select(j => (J: j, Excess: Math.Abs(Analytic[i][j] - Numeric[i][j]) - (atol + (rtol * Math.Abs(Numeric[i][j])))))
                .Where(e => !(e.Excess <= 0))
                .OrderByDescending(e => e.Excess)
                .Take(5)
                .ToList();
            foreach (var (j, _) in bad)
            {
                sb.Append(CultureInfo.InvariantCulture, $"input {i} element {j}: analytic {Analytic[i][j]:G6}, numeric {Numeric[i][j]:G6}; ");
            }
        }

        return sb.Length == 0 ? "gradients match" : "gradient mismatch: " + sb;
    }
}
