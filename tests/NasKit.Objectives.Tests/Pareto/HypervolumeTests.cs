using NasKit.Objectives.Pareto;
using NasKit.Tensors;

namespace NasKit.Objectives.Tests.Pareto;

public sealed class HypervolumeTests
{
    private static readonly ObjectiveDirection[] s_min2 = [ObjectiveDirection.Minimize, ObjectiveDirection.Minimize];
    private static readonly ObjectiveDirection[] s_min3 = [ObjectiveDirection.Minimize, ObjectiveDirection.Minimize, ObjectiveDirection.Minimize];

    [Test]
    public void Compute_TwoObjectiveStaircase_HandComputedArea()
    {
        // Reference (4,4); points (1,3), (2,2), (3,1): strips 3·1 + 2·1 + 1·1 = 6.
        Assert.That(Hypervolume.Compute([[1, 3], [2, 2], [3, 1]], [4, 4], s_min2), Is.EqualTo(6));
    }

    [Test]
    public void Compute_DominatedRepeatedAndOutsidePoints_AddNothing()
    {
        // (3,3) is dominated, (2,2) repeated, (4,0) touches the reference, (5,0.5) lies beyond it: still the area 6 of the staircase.
        double[][] points = [[3, 3], [1, 3], [2, 2], [4, 0], [2, 2], [3, 1], [5, 0.5]];
        Assert.That(Hypervolume.Compute(points, [4, 4], s_min2), Is.EqualTo(6));
    }

    [Test]
    public void Compute_InsertionOrder_DoesNotMatter()
    {
        // The staircase must handle a point that removes several earlier ones: (0.5, 0.5) dominates all, area 3.5·3.5.
        double[][] points = [[3, 1], [1, 3], [2, 2], [0.5, 0.5]];
        Assert.That(Hypervolume.Compute(points, [4, 4], s_min2), Is.EqualTo(12.25));
    }

    [Test]
    public void Compute_MaximizeAndMinimize_ConvertsToMinimization()
    {
        // (accuracy max, MACs min), reference (0.5, 50): boxes [0.5,0.9]×[30,50] (area 8) and [0.5,0.8]×[10,50] (area 12) overlap in
        // [0.5,0.8]×[30,50] (area 6): union 14.
        double[][] points = [[0.9, 30], [0.8, 10]];
        var volume = Hypervolume.Compute(points, [0.5, 50], [ObjectiveDirection.Maximize, ObjectiveDirection.Minimize]);
        Assert.That(volume, Is.EqualTo(14).Within(1e-12));
    }

    [Test]
    public void Compute_ObjectivesWithBounds_UsesWorstBoundsAsReference()
    {
        Objective[] objectives = [Objective.Maximize("acc", lowerBound: 0.5, upperBound: 1), Objective.Minimize("macs", lowerBound: 0, upperBound: 50)];
        Assert.That(Hypervolume.Compute([[0.9, 30], [0.8, 10]], objectives), Is.EqualTo(14).Within(1e-12));
    }

    [Test]
    public void Compute_ObjectiveWithoutWorstBound_ThrowsNamingIt()
    {
        Objective[] objectives = [Objective.Maximize("acc", upperBound: 1), Objective.Minimize("macs", upperBound: 50)];
        Assert.That(() => Hypervolume.Compute([[0.9, 30]], objectives), Throws.ArgumentException.With.Message.Contain("acc:max"));
    }

    [Test]
    public void Compute_ThreeObjectives_InclusionExclusionByHand()
    {
        // Reference (4,4,4). Boxes: A=(1,2,3) → 3·2·1 = 6, B=(2,1,2) → 2·3·2 = 12, C=(3,3,1) → 1·1·3 = 3.
        // Pairwise intersections are the boxes of the component-wise maxima: A∨B=(2,2,3) → 4, A∨C=(3,3,3) → 1, B∨C=(3,3,2) → 2;
        // A∨B∨C=(3,3,3) → 1. Union = 6 + 12 + 3 − 4 − 1 − 2 + 1 = 15.
        Assert.That(Hypervolume.Compute([[1, 2, 3], [2, 1, 2], [3, 3, 1]], [4, 4, 4], s_min3), Is.EqualTo(15));
    }

    [Test]
    public void Compute_ThreeObjectivesMixedDirections_SameAsNegatedMinimization()
    {
        // Maximising objective 1 with values v is minimising −v: the same boxes as the hand example above, so again 15.
        double[][] points = [[1, -2, 3], [2, -1, 2], [3, -3, 1]];
        ObjectiveDirection[] directions = [ObjectiveDirection.Minimize, ObjectiveDirection.Maximize, ObjectiveDirection.Minimize];
        Assert.That(Hypervolume.Compute(points, [4, -4, 4], directions), Is.EqualTo(15));
    }

    [TestCase(11, 5)]
    [TestCase(12, 20)]
    [TestCase(13, 40)]
    [TestCase(14, 80)]
    public void Compute_ThreeObjectivesRandomIntegers_MatchesGridCellCount(int seed, int count)
    {
        // Oracle: with integer coordinates in [0, 10) and reference (10,10,10), the dominated region is a union of unit cells; a cell
        // [x,x+1)×[y,y+1)×[z,z+1) is inside iff some point is ≤ (x,y,z) component-wise. Counting the 1,000 cells is exact.
        var generator = new Generator(seed);
        var points = RandomIntegerPoints(generator, count, 3, 10);
        Assert.That(Hypervolume.Compute(points, [10, 10, 10], s_min3), Is.EqualTo(CountCells(points, 3, 10)));
    }

    [TestCase(21, 3)]
    [TestCase(22, 15)]
    [TestCase(23, 40)]
    public void Compute_TwoObjectivesRandomIntegers_MatchesGridCellCount(int seed, int count)
    {
        var points = RandomIntegerPoints(new Generator(seed), count, 2, 12);
        Assert.That(Hypervolume.Compute(points, [12, 12], s_min2), Is.EqualTo(CountCells(points, 2, 12)));
    }

    [TestCase(31, 4, 12)]
    [TestCase(32, 4, 30)]
    [TestCase(33, 5, 12)]
    public void Compute_FourAndFiveObjectivesRandomIntegers_MatchesGridCellCount(int seed, int dimensions, int count)
    {
        var points = RandomIntegerPoints(new Generator(seed), count, dimensions, 5);
        var reference = Enumerable.Repeat(5.0, dimensions).ToArray();
        var directions = Enumerable.Repeat(ObjectiveDirection.Minimize, dimensions).ToArray();
        Assert.That(Hypervolume.Compute(points, reference, directions), Is.EqualTo(CountCells(points, dimensions, 5)));
    }

    [Test]
    public void Compute_OneObjective_IsDistanceFromBestToReference()
    {
        Assert.That(Hypervolume.Compute([[3], [1.5], [7]], [5], [ObjectiveDirection.Minimize]), Is.EqualTo(3.5));
    }

    [Test]
    public void Compute_NoPointInsideReference_Zero()
    {
        Assert.That(Hypervolume.Compute([[5, 1], [1, 5]], [4, 4], s_min2), Is.Zero);
    }

    [Test]
    public void Compute_ReferenceWrongLengthOrNotFinite_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Hypervolume.Compute([[1, 1]], [4], s_min2), Throws.ArgumentException.With.Message.Contain("one value per objective (2), but has 1"));
            Assert.That(() => Hypervolume.Compute([[1, 1]], [4, double.PositiveInfinity], s_min2), Throws.ArgumentException.With.Message.Contain("referencePoint[1]"));
        });
    }

    [Test]
    public void Compute_InfinitelyGoodValue_ThrowsNamingThePoint()
    {
        // +∞ accuracy (maximised) would make the volume infinite; +∞ MACs (minimised) merely lies beyond the reference and is ignored.
        ObjectiveDirection[] directions = [ObjectiveDirection.Maximize, ObjectiveDirection.Minimize];
        Assert.Multiple(() =>
        {
            Assert.That(() => Hypervolume.Compute([[0.9, 1], [double.PositiveInfinity, 2]], [0, 10], directions),
                Throws.ArgumentException.With.Message.Contain("points[1][0]"));
            Assert.That(Hypervolume.Compute([[0.5, 2], [0.9, double.PositiveInfinity]], [0, 10], directions), Is.EqualTo(4).Within(1e-12));
        });
    }

    internal static double[][] RandomIntegerPoints(Generator generator, int count, int dimensions, int size) =>
        Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (double)generator.NextInt(size)).ToArray()).ToArray();

    internal static long CountCells(double[][] points, int dimensions, int size)
    {
        var total = (long)Math.Pow(size, dimensions);
        long inside = 0;
        var cell = new int[dimensions];
        for (long index = 0; index < total; index++)
        {
            var rest = index;
            for (var k = 0; k < dimensions; k++)
            {
                cell[k] = (int)(rest % size);
                rest /= size;
            }

            if (points.Any(p => p.Select((v, k) => v <= cell[k]).All(b => b)))
            {
                inside++;
            }
        }

        return inside;
    }
}
