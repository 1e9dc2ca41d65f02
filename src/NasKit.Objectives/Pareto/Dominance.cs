using NasKit.Objectives.Internal;

namespace NasKit.Objectives.Pareto;

/// <summary>
/// Decides Pareto dominance between objective vectors under per-objective directions, with and without constraints.
/// </summary>
/// <remarks>
/// <para><b>Pareto dominance.</b> <c>a</c> dominates <c>b</c> when <c>a</c> is at least as good as <c>b</c> in every objective and
/// strictly better in at least one. Equal vectors do not dominate each other.</para>
/// <para><b>Constraint-domination</b> (Deb, 2000; NSGA-II): with total violations <c>va</c>, <c>vb</c> (the sum of the positive parts of
/// the constraint violations, <see cref="Constraint.TotalViolation"/>; feasible when 0), <c>a</c> dominates <c>b</c> when <c>a</c> is
/// feasible and <c>b</c> is not; or both are infeasible and <c>va &lt; vb</c>; or both are feasible and <c>a</c> Pareto-dominates
/// <c>b</c>.</para>
/// <para>Values must not be NaN (a NaN would make dominance non-transitive); an evaluation that produced one is a failure, not a
/// point.</para>
/// </remarks>
public static class Dominance
{
    /// <summary>Returns whether <paramref name="a"/> Pareto-dominates <paramref name="b"/>.</summary>
    /// <param name="a">The first objective vector.</param>
    /// <param name="b">The second objective vector.</param>
    /// <param name="directions">The direction of each objective.</param>
    /// <returns>Whether <paramref name="a"/> is at least as good everywhere and strictly better somewhere.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directions"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, there are no objectives, or a value is NaN.</exception>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b, IReadOnlyList<ObjectiveDirection> directions)
    {
        ArgumentNullException.ThrowIfNull(directions);
        var signs = ParetoGuard.Signs(directions, nameof(directions));
        ParetoGuard.CheckVector(a, signs.Length, nameof(a));
        ParetoGuard.CheckVector(b, signs.Length, nameof(b));
        return ParetoMath.Compare(a, b, signs) > 0;
    }

    /// <summary>Returns whether <paramref name="a"/> constraint-dominates <paramref name="b"/> (Deb's rule, see the remarks).</summary>
    /// <param name="a">The first objective vector.</param>
    /// <param name="violationA">The total violation of <paramref name="a"/>: 0 (or less) when feasible.</param>
    /// <param name="b">The second objective vector.</param>
    /// <param name="violationB">The total violation of <paramref name="b"/>: 0 (or less) when feasible.</param>
    /// <param name="directions">The direction of each objective.</param>
    /// <returns>Whether <paramref name="a"/> constraint-dominates <paramref name="b"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directions"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, there are no objectives, or a value or violation is NaN.</exception>
    public static bool ConstrainedDominates(
        ReadOnlySpan<double> a, double violationA, ReadOnlySpan<double> b, double violationB, IReadOnlyList<ObjectiveDirection> directions)
    {
        ArgumentNullException.ThrowIfNull(directions);
        var signs = ParetoGuard.Signs(directions, nameof(directions));
        ParetoGuard.CheckVector(a, signs.Length, nameof(a));
        ParetoGuard.CheckVector(b, signs.Length, nameof(b));
        ParetoGuard.CheckViolation(violationA, nameof(violationA));
        ParetoGuard.CheckViolation(violationB, nameof(violationB));
        return ParetoMath.CompareConstrained(a, Math.Max(0, violationA), b, Math.Max(0, violationB), signs) > 0;
    }
}
