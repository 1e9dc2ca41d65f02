using NasKit.Tensors.Internal.Backends.Cpu;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu;

/// <summary>Row plans for strided element-wise work (StridedPlan.cs).</summary>
public class StridedPlanTests
{
    private static readonly object[] s_layouts =
    [
        new object[] { new[] { 2, 3, 4 }, new[] { 12, 4, 1 }, new[] { 0, 0, 1 } },
        new object[] { new[] { 4, 3 }, new[] { 1, 4 }, new[] { 3, 1 } },
        new object[] { new[] { 2, 1, 3, 5 }, new[] { 15, 99, 5, 1 }, new[] { 0, 0, 1, 0 } },
        new object[] { new[] { 3, 4, 2 }, new[] { 16, 2, 1 }, new[] { 0, 2, 1 } },
        new object[] { new[] { 2, 3, 2, 2 }, new[] { 1, 8, 2, 32 }, new[] { 6, 2, 1, 0 } },
        new object[] { new[] { 7 }, new[] { 3 }, new[] { 1 } },
        new object[] { new[] { 1, 1 }, new[] { 5, 5 }, new[] { 0, 0 } },
    ];

    [Test]
    public void Create_ContiguousOperands_MergeIntoOneRow()
    {
        var plan = StridedPlan.Create([2, 3, 4], ShapeUtils.ContiguousStrides([2, 3, 4]), ShapeUtils.ContiguousStrides([2, 3, 4]));
        Assert.Multiple(() =>
        {
            Assert.That(plan.Rows, Is.EqualTo(1));
            Assert.That(plan.RowLength, Is.EqualTo(24));
            Assert.That(plan.RowStride(0), Is.EqualTo(1));
        });
    }

    [Test]
    public void Create_TransposedOperand_KeepsBothDims()
    {
        var plan = StridedPlan.Create([3, 2], [1, 3], [2, 1]);
        Assert.Multiple(() =>
        {
            Assert.That(plan.Rows, Is.EqualTo(3));
            Assert.That(plan.RowLength, Is.EqualTo(2));
            Assert.That(plan.RowStride(0), Is.EqualTo(3));
            Assert.That(plan.RowStride(1), Is.EqualTo(1));
        });
    }

    [Test]
    public void Create_EmptyShape_HasNoElementsToVisit()
    {
        var plan = StridedPlan.Create([2, 0, 3], [1, 1, 1], [1, 1, 1]);
        var visited = 0L;
        plan.ForEachRow(0, plan.Rows, _ => visited += plan.RowLength);
        Assert.That(visited, Is.Zero);
    }

    [TestCaseSource(nameof(s_layouts))]
    public void ForEachRow_VariousLayouts_VisitsEveryElementOffsetInRowMajorOrder(int[] shape, int[] stridesA, int[] stridesB)
    {
        var plan = StridedPlan.Create(shape, stridesA, stridesB);
        var actual = new List<(int, int)>();
        plan.ForEachRow(0, plan.Rows, off =>
        {
            for (var i = 0; i < plan.RowLength; i++)
            {
                actual.Add((off[0] + (i * plan.RowStride(0)), off[1] + (i * plan.RowStride(1))));
            }
        });
        Assert.That(actual, Is.EqualTo(Naive(shape, stridesA, stridesB)));
    }

    [TestCaseSource(nameof(s_layouts))]
    public void ForEachRow_PartialRangesAndRowOffsets_AgreeWithTheFullWalk(int[] shape, int[] stridesA, int[] stridesB)
    {
        var plan = StridedPlan.Create(shape, stridesA, stridesB);
        var full = new List<int[]>();
        plan.ForEachRow(0, plan.Rows, off => full.Add((int[])off.Clone()));
        for (var start = 0L; start < plan.Rows; start++)
        {
            var end = Math.Min(plan.Rows, start + 2);
            var part = new List<int[]>();
            plan.ForEachRow(start, end, off => part.Add((int[])off.Clone()));
            var direct = new int[2];
            plan.RowOffsets(start, direct);
            Assert.Multiple(() =>
            {
                Assert.That(part, Is.EqualTo(full.Skip((int)start).Take((int)(end - start))), $"rows [{start}, {end})");
                Assert.That(direct, Is.EqualTo(full[(int)start]), $"RowOffsets({start})");
            });
        }
    }

    private static List<(int, int)> Naive(int[] shape, int[] sa, int[] sb)
    {
        var result = new List<(int, int)>();
        var count = shape.Aggregate(1, (x, y) => x * y);
        for (var flat = 0; flat < count; flat++)
        {
            var rem = flat;
            int oa = 0, ob = 0;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                var idx = rem % shape[d];
                rem /= shape[d];
                oa += idx * sa[d];
                ob += idx * sb[d];
            }

            result.Add((oa, ob));
        }

        return result;
    }
}
