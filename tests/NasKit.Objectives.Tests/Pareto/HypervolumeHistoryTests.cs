using NasKit.Objectives.Pareto;
using NasKit.Tensors;

namespace NasKit.Objectives.Tests.Pareto;

public sealed class HypervolumeHistoryTests
{
    [Test]
    public void Compute_TwoObjectives_HandComputedSteps()
    {
        // Reference (4,4): (2,2) → 4; (3,3) dominated → 4; (1,3) adds the strip [1,2)×[3,4) → 5; (3,1) adds [3,4)×[1,2) → 6;
        // (5,0) lies beyond the reference → 6.
        double[][] points = [[2, 2], [3, 3], [1, 3], [3, 1], [5, 0]];
        var history = HypervolumeHistory.Compute(points, [4, 4], [ObjectiveDirection.Minimize, ObjectiveDirection.Minimize]);
        Assert.That(history, Is.EqualTo(new double[] { 4, 4, 5, 6, 6 }));
    }

    [TestCase(2, 41)]
    [TestCase(3, 42)]
    [TestCase(4, 43)]
    public void Compute_RandomSequence_EqualsHypervolumeOfEachPrefix(int dimensions, int seed)
    {
        var generator = new Generator(seed);
        var points = HypervolumeTests.RandomIntegerPoints(generator, 40, dimensions, 9);
        var directions = Enumerable.Range(0, dimensions).Select(k => k % 2 == 0 ? ObjectiveDirection.Minimize : ObjectiveDirection.Maximize).ToArray();
        var reference = directions.Select(d => d == ObjectiveDirection.Minimize ? 9.0 : -1.0).ToArray();

        var history = HypervolumeHistory.Compute(points, reference, directions);

        // Oracle: the batch computation on every prefix (itself checked against grid-cell counts in HypervolumeTests).
        var expected = Enumerable.Range(1, points.Length).Select(k => Hypervolume.Compute(points[..k], reference, directions)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(history, Is.EqualTo(expected).Within(1e-9));
            Assert.That(history.Zip(history.Skip(1)).All(p => p.First <= p.Second), Is.True, "non-decreasing");
            Assert.That(history[^1], Is.GreaterThan(history[0]), "the sequence must improve at least once for the test to mean something");
        });
    }

    [Test]
    public void Compute_InfeasiblePoints_AddNothing()
    {
        double[][] points = [[2, 2], [0, 0], [1, 3]];
        var history = HypervolumeHistory.Compute(points, [4, 4], [ObjectiveDirection.Minimize, ObjectiveDirection.Minimize], violations: [0, 0.5, -1]);
        Assert.That(history, Is.EqualTo(new double[] { 4, 4, 5 }));
    }

    [Test]
    public void Compute_ObjectivesWithBounds_UsesWorstBounds()
    {
        Objective[] objectives = [Objective.Maximize("acc", lowerBound: 0.5), Objective.Minimize("macs", upperBound: 50)];
        var history = HypervolumeHistory.Compute([[0.9, 30], [0.8, 10]], objectives);
        Assert.That(history, Is.EqualTo(new[] { 8, 14 }).Within(1e-12));
    }
}
