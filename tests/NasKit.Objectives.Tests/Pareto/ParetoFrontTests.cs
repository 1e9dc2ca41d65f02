using NasKit.Objectives.Pareto;

namespace NasKit.Objectives.Tests.Pareto;

public sealed class ParetoFrontTests
{
    [Test]
    public void Of_MixedDirections_ReturnsNonDominatedIndices()
    {
        // (accuracy max, macs min): 1 dominates 0 (more accurate, same MACs); 3 equals 2; 4 is dominated by 2.
        double[][] points = [[0.80, 20], [0.85, 20], [0.90, 40], [0.90, 40], [0.88, 45], [0.70, 5]];
        var front = ParetoFront.Of(points, [ObjectiveDirection.Maximize, ObjectiveDirection.Minimize]);
        Assert.That(front, Is.EqualTo(new[] { 1, 2, 3, 5 }));
    }

    [Test]
    public void Of_Items_WithConstraints_KeepsFeasibleFront()
    {
        var items = new[]
        {
            ("a", new Dictionary<string, double> { ["acc"] = 0.95, ["macs"] = 90 }), // best accuracy but over the MACs limit
            ("b", new Dictionary<string, double> { ["acc"] = 0.90, ["macs"] = 50 }),
            ("c", new Dictionary<string, double> { ["acc"] = 0.80, ["macs"] = 20 }),
            ("d", new Dictionary<string, double> { ["acc"] = 0.79, ["macs"] = 30 }), // dominated by c
        };
        Objective[] objectives = [Objective.Maximize("acc"), Objective.Minimize("macs")];

        var unconstrained = ParetoFront.Of(items, i => i.Item2, objectives);
        var constrained = ParetoFront.Of(items, i => i.Item2, objectives, [Constraint.AtMost("macs", 60)]);
        Assert.Multiple(() =>
        {
            Assert.That(unconstrained.Select(i => i.Item1), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(constrained.Select(i => i.Item1), Is.EqualTo(new[] { "b", "c" }));
        });
    }

    [Test]
    public void Of_NoFeasiblePoint_LeastViolationWins()
    {
        double[][] points = [[1, 1], [2, 2], [0, 0]];
        Assert.That(ParetoFront.Of(points, [ObjectiveDirection.Minimize, ObjectiveDirection.Minimize], [3, 1, 2]), Is.EqualTo(new[] { 1 }));
    }
}
