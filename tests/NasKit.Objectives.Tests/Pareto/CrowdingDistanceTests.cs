using NasKit.Objectives.Pareto;

namespace NasKit.Objectives.Tests.Pareto;

public sealed class CrowdingDistanceTests
{
    [Test]
    public void Compute_FivePointFront_HandComputedDistances()
    {
        // Front p0..p4 = (0,10), (1,6), (2,3), (6,1), (10,0); both ranges are 10. Objective 0 adds (2−0)/10, (6−1)/10, (10−2)/10 to
        // p1, p2, p3; objective 1 (order p4, p3, p2, p1, p0) adds (3−0)/10, (6−1)/10, (10−3)/10 to p3, p2, p1.
        // Index 5 is not in the front and must not influence anything; the front is given out of order.
        double[][] points = [[0, 10], [1, 6], [2, 3], [6, 1], [10, 0], [100, 100]];
        int[] front = [3, 0, 4, 1, 2];
        var distances = CrowdingDistance.Compute(points, front);
        Assert.Multiple(() =>
        {
            Assert.That(distances[0], Is.EqualTo(0.3 + 0.8).Within(1e-12), "p3");
            Assert.That(distances[1], Is.EqualTo(double.PositiveInfinity), "p0");
            Assert.That(distances[2], Is.EqualTo(double.PositiveInfinity), "p4");
            Assert.That(distances[3], Is.EqualTo(0.2 + 0.7).Within(1e-12), "p1");
            Assert.That(distances[4], Is.EqualTo(0.5 + 0.5).Within(1e-12), "p2");
        });
    }

    [Test]
    public void Compute_ConstantObjective_AddsNothingForIt()
    {
        // Objective 1 is constant; objective 0 gives the middle point (4−0)/4 = 1.
        double[][] points = [[0, 5], [1, 5], [4, 5]];
        var distances = CrowdingDistance.Compute(points, [0, 1, 2]);
        Assert.That(distances, Is.EqualTo(new[] { double.PositiveInfinity, 1.0, double.PositiveInfinity }));
    }

    [Test]
    public void Compute_TwoPoints_BothInfinite()
    {
        Assert.That(CrowdingDistance.Compute([[0, 1], [1, 0]], [0, 1]), Is.All.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void Compute_IndexOutsidePoints_Throws()
    {
        Assert.That(() => CrowdingDistance.Compute([[0, 1]], [0, 3]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contain("front[1]=3"));
    }
}
