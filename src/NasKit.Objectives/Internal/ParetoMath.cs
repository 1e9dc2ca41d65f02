namespace NasKit.Objectives.Internal;

/// <summary>Dominance arithmetic on validated vectors; <c>signs[k]</c> is +1 for a minimised objective and −1 for a maximised one.</summary>
internal static class ParetoMath
{
    /// <summary>Returns 1 when <paramref name="a"/> dominates <paramref name="b"/>, −1 when <paramref name="b"/> dominates, 0 otherwise.</summary>
    public static int Compare(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> signs)
    {
        bool aBetter = false, bBetter = false;
        for (var k = 0; k < signs.Length; k++)
        {
            var x = signs[k] * a[k];
            var y = signs[k] * b[k];
            if (x < y)
            {
                aBetter = true;
            }
            else if (y < x)
            {
                bBetter = true;
            }

            if (aBetter && bBetter)
            {
                return 0;
            }
        }

        return aBetter ? 1 : bBetter ? -1 : 0;
    }

    /// <summary>Deb's constraint-domination on non-negative total violations.</summary>
    public static int CompareConstrained(ReadOnlySpan<double> a, double violationA, ReadOnlySpan<double> b, double violationB, ReadOnlySpan<double> signs)
    {
        if (violationA > 0 || violationB > 0)
        {
            // At least one is infeasible: a feasible point (violation 0) wins, and two infeasible points compare by violation.
            return violationA < violationB ? 1 : violationB < violationA ? -1 : 0;
        }

        return Compare(a, b, signs);
    }
}
