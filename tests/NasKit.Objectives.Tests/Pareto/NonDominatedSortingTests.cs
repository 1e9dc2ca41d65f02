using NasKit.Objectives.Pareto;
using NasKit.Tensors;

namespace NasKit.Objectives.Tests.Pareto;

public sealed class NonDominatedSortingTests
{
    private static readonly ObjectiveDirection[] s_minMin = [ObjectiveDirection.Minimize, ObjectiveDirection.Minimize];

    // Hand-checked: 0,1,2,7 are mutually non-dominated (7 repeats 1); 3=(3,3) and 5=(2,6) are dominated only by front 0 (by 1 and by 0);
    // 4=(4,4) is dominated by 3; 6=(6,6) by 4.
    private static readonly double[][] s_points = [[1, 5], [2, 2], [5, 1], [3, 3], [4, 4], [2, 6], [6, 6], [2, 2]];

    [Test]
    public void Sort_HandExample_ReturnsKnownFronts()
    {
        var fronts = NonDominatedSorting.Sort(s_points, s_minMin);
        Assert.That(fronts, Is.EqualTo(new[] { new[] { 0, 1, 2, 7 }, new[] { 3, 5 }, new[] { 4 }, new[] { 6 } }));
    }

    [Test]
    public void Sort_WithViolations_FeasibleFirstThenByViolation()
    {
        // Points 0 and 1 are infeasible (violations 2 and 0.5). Among the feasible ones 7=(2,2) now dominates 5=(2,6).
        double[] violations = [2, 0.5, 0, 0, 0, 0, 0, -3];
        var fronts = NonDominatedSorting.Sort(s_points, s_minMin, violations);
        Assert.That(fronts, Is.EqualTo(new[] { new[] { 2, 7 }, new[] { 3, 5 }, new[] { 4 }, new[] { 6 }, new[] { 1 }, new[] { 0 } }));
    }

    [Test]
    public void Ranks_MaximizeDirection_ReversesOrder()
    {
        double[][] points = [[1], [3], [2], [3]];
        Assert.Multiple(() =>
        {
            Assert.That(NonDominatedSorting.Ranks(points, [ObjectiveDirection.Maximize]), Is.EqualTo(new[] { 2, 0, 1, 0 }));
            Assert.That(NonDominatedSorting.Ranks(points, [ObjectiveDirection.Minimize]), Is.EqualTo(new[] { 0, 2, 1, 2 }));
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Ranks_RandomPoints_MatchRepeatedPeeling(int seed)
    {
        var generator = new Generator(seed);
        var points = Enumerable.Range(0, 60).Select(_ => new double[] { generator.NextInt(8), generator.NextInt(8), generator.NextInt(8) }).ToArray();
        ObjectiveDirection[] directions = [ObjectiveDirection.Minimize, ObjectiveDirection.Maximize, ObjectiveDirection.Minimize];

        // Oracle: peel the non-dominated set off the remaining points, one front at a time, with the pairwise definition.
        var expected = new int[points.Length];
        var remaining = Enumerable.Range(0, points.Length).ToList();
        for (var rank = 0; remaining.Count > 0; rank++)
        {
            var front = remaining.Where(i => !remaining.Any(j => Dominance.Dominates(points[j], points[i], directions))).ToList();
            front.ForEach(i => expected[i] = rank);
            remaining.RemoveAll(front.Contains);
        }

        Assert.That(NonDominatedSorting.Ranks(points, directions), Is.EqualTo(expected));
    }

    [Test]
    public void Sort_NoPoints_NoFronts()
    {
        Assert.That(NonDominatedSorting.Sort([], s_minMin), Is.Empty);
    }

    [Test]
    public void Sort_BadInput_ThrowsNamingThePoint()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => NonDominatedSorting.Sort([[1, 2], [3]], s_minMin), Throws.ArgumentException.With.Message.Contain("points[1] has 1"));
            Assert.That(() => NonDominatedSorting.Sort([[1, 2]], s_minMin, [0, 0]), Throws.ArgumentException.With.Message.Contain("one violation per point (1), but got 2"));
            Assert.That(() => NonDominatedSorting.Sort([[1, 2]], s_minMin, [double.NaN]), Throws.ArgumentException.With.Message.Contain("NaN"));
        });
    }
}
