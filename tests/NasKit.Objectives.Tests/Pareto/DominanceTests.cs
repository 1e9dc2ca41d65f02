using NasKit.Objectives.Pareto;

namespace NasKit.Objectives.Tests.Pareto;

public sealed class DominanceTests
{
    private static readonly ObjectiveDirection[] s_minMin = [ObjectiveDirection.Minimize, ObjectiveDirection.Minimize];
    private static readonly ObjectiveDirection[] s_maxMin = [ObjectiveDirection.Maximize, ObjectiveDirection.Minimize];

    [Test]
    public void Dominates_BetterInOneEqualInOther_True()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Dominance.Dominates([1, 2], [1, 3], s_minMin), Is.True);
            Assert.That(Dominance.Dominates([1, 3], [1, 2], s_minMin), Is.False);
        });
    }

    [Test]
    public void Dominates_EqualVectors_False()
    {
        Assert.That(Dominance.Dominates([1, 2], [1, 2], s_minMin), Is.False);
    }

    [Test]
    public void Dominates_TradeOff_NeitherDominates()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Dominance.Dominates([1, 3], [2, 2], s_minMin), Is.False);
            Assert.That(Dominance.Dominates([2, 2], [1, 3], s_minMin), Is.False);
        });
    }

    [Test]
    public void Dominates_MaximizedObjective_LargerIsBetter()
    {
        // (accuracy, macs): 0.9 at 10 MACs beats 0.8 at 10 MACs; with minimise-minimise it would be the other way round.
        Assert.Multiple(() =>
        {
            Assert.That(Dominance.Dominates([0.9, 10], [0.8, 10], s_maxMin), Is.True);
            Assert.That(Dominance.Dominates([0.8, 10], [0.9, 10], s_maxMin), Is.False);
            Assert.That(Dominance.Dominates([0.8, 10], [0.9, 10], s_minMin), Is.True);
        });
    }

    [Test]
    public void ConstrainedDominates_FeasibleBeatsInfeasibleWhateverTheObjectives()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Dominance.ConstrainedDominates([9, 9], 0, [1, 1], 0.1, s_minMin), Is.True);
            Assert.That(Dominance.ConstrainedDominates([1, 1], 0.1, [9, 9], 0, s_minMin), Is.False);
            Assert.That(Dominance.ConstrainedDominates([9, 9], -5, [1, 1], 0.1, s_minMin), Is.True, "negative violation is feasible");
        });
    }

    [Test]
    public void ConstrainedDominates_BothInfeasible_SmallerViolationWins()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Dominance.ConstrainedDominates([9, 9], 1, [1, 1], 2, s_minMin), Is.True);
            Assert.That(Dominance.ConstrainedDominates([1, 1], 2, [9, 9], 1, s_minMin), Is.False);
            Assert.That(Dominance.ConstrainedDominates([1, 1], 2, [9, 9], 2, s_minMin), Is.False, "equal violations: neither dominates");
        });
    }

    [Test]
    public void ConstrainedDominates_BothFeasible_ParetoDominance()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Dominance.ConstrainedDominates([1, 1], 0, [1, 2], -1, s_minMin), Is.True);
            Assert.That(Dominance.ConstrainedDominates([1, 3], 0, [2, 2], 0, s_minMin), Is.False);
        });
    }

    [Test]
    public void Dominates_LengthMismatchOrNaN_ThrowsWithCounts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Dominance.Dominates([1, 2, 3], [1, 2], s_minMin), Throws.ArgumentException.With.Message.Contain("(2)").And.Message.Contain("has 3"));
            Assert.That(() => Dominance.Dominates([1, double.NaN], [1, 2], s_minMin), Throws.ArgumentException.With.Message.Contain("a[1] is NaN"));
            Assert.That(() => Dominance.Dominates([1], [1], []), Throws.ArgumentException.With.Message.Contain("At least one objective"));
        });
    }
}
