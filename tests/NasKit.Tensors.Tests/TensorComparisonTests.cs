using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Comparisons, Where, MaskedFill and AllClose (Tensor.Comparison.cs).</summary>
public class TensorComparisonTests
{
    private static readonly float[] s_left = [1f, 2f, 3f, float.NaN, float.PositiveInfinity, -0f, 5f, float.NaN];
    private static readonly float[] s_right = [1f, 3f, 2f, 1f, float.PositiveInfinity, 0f, float.NaN, float.NaN];

    [Test]
    public void Comparisons_ProduceZeroOrOne_WithIeeeNaNRules()
    {
        // IEEE 754: every ordered comparison with NaN is false and only != is true; -0 == +0.
        using var a = Tensor.FromArray(s_left);
        using var b = Tensor.FromArray(s_right);
        using var eq = a.Eq(b);
        using var ne = a.Ne(b);
        using var lt = a.Lt(b);
        using var le = a.Le(b);
        using var gt = a.Gt(b);
        using var ge = a.Ge(b);
        Assert.Multiple(() =>
        {
            Assert.That(eq.ToArray(), Is.EqualTo(Expected((x, y) => x == y)));
            Assert.That(ne.ToArray(), Is.EqualTo(Expected((x, y) => x != y)));
            Assert.That(lt.ToArray(), Is.EqualTo(Expected((x, y) => x < y)));
            Assert.That(le.ToArray(), Is.EqualTo(Expected((x, y) => x <= y)));
            Assert.That(gt.ToArray(), Is.EqualTo(Expected((x, y) => x > y)));
            Assert.That(ge.ToArray(), Is.EqualTo(Expected((x, y) => x >= y)));
            Assert.That(ne.ToArray()[3], Is.EqualTo(1f), "NaN != 1");
            Assert.That(eq.ToArray()[5], Is.EqualTo(1f), "-0 == +0");
        });
    }

    [Test]
    public void Comparisons_LongInputs_VectorAndTailAgreeWithScalarRule()
    {
        // 37 elements run the SIMD body and the scalar tail; NaNs are sprinkled over both.
        var a = TestData.Uniform(1, 37, -1f, 1f);
        var b = TestData.Uniform(2, 37, -1f, 1f);
        a[3] = float.NaN;
        b[20] = float.NaN;
        a[36] = float.NaN;
        b[10] = a[10];
        using var ta = Tensor.FromArray(a);
        using var tb = Tensor.FromArray(b);
        using var lt = ta.Lt(tb);
        using var ne = ta.Ne(tb);
        using var ge = ta.Ge(tb);
        Assert.Multiple(() =>
        {
            Assert.That(lt.ToArray(), Is.EqualTo(a.Zip(b, (x, y) => x < y ? 1f : 0f).ToArray()));
            Assert.That(ne.ToArray(), Is.EqualTo(a.Zip(b, (x, y) => x != y ? 1f : 0f).ToArray()));
            Assert.That(ge.ToArray(), Is.EqualTo(a.Zip(b, (x, y) => x >= y ? 1f : 0f).ToArray()));
        });
    }

    [Test]
    public void ScalarComparisons_MatrixInput_BroadcastTheScalar()
    {
        using var x = Tensor.FromArray([0f, 1f, 2f, float.NaN], 2, 2);
        using var gt = x.Gt(0.5f);
        using var eq = x.Eq(2f);
        using var ne = x.Ne(2f);
        using var le = x.Le(1f);
        using var lt = x.Lt(1f);
        using var ge = x.Ge(1f);
        Assert.Multiple(() =>
        {
            Assert.That(gt.Shape, Is.EqualTo(new[] { 2, 2 }));
            Assert.That(gt.ToArray(), Is.EqualTo(new[] { 0f, 1f, 1f, 0f }));
            Assert.That(eq.ToArray(), Is.EqualTo(new[] { 0f, 0f, 1f, 0f }));
            Assert.That(ne.ToArray(), Is.EqualTo(new[] { 1f, 1f, 0f, 1f }));
            Assert.That(le.ToArray(), Is.EqualTo(new[] { 1f, 1f, 0f, 0f }));
            Assert.That(lt.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 0f }));
            Assert.That(ge.ToArray(), Is.EqualTo(new[] { 0f, 1f, 1f, 0f }));
        });
    }

    [Test]
    public void Comparisons_InputRequiresGrad_ResultDoesNot()
    {
        using var x = TestData.Tensor(3, [4], requiresGrad: true);
        using var m = x.Gt(0f);
        Assert.That(m.RequiresGrad, Is.False);
    }

    [Test]
    public void Where_BroadcastableOperands_SelectsElementwise()
    {
        using var cond = Tensor.FromArray([1f, 0f, 2f], 3, 1);
        using var a = Tensor.FromArray([10f, 20f], 1, 2);
        using var b = Tensor.Scalar(-1f);
        using var r = Tensor.Where(cond, a, b);
        TensorAssert.Close(r, [3, 2], [10f, 20f, -1f, -1f, 10f, 20f]);
    }

    [Test]
    public void Where_GradientsFlowToTheSelectedBranch_WithBroadcasting()
    {
        using var cond = Tensor.FromArray([1f, 0f, 0f, 1f, 1f, 0f], 2, 3);
        using var a = TestData.Tensor(4, [2, 3], requiresGrad: true);
        using var b = TestData.Tensor(5, [3], requiresGrad: true);
        GradientChecker.Check(() => Tensor.Where(cond, a, b), [a, b]);
    }

    [Test]
    public void MaskedFill_BroadcastMask_ReplacesMaskedElementsAndPassesGradientElsewhere()
    {
        using var mask = Tensor.FromArray([0f, 1f, 0f], 1, 3);
        using var x = TestData.Tensor(6, [2, 3], requiresGrad: true);
        using (var y = x.MaskedFill(mask, 7f))
        {
            var v = y.ToArray();
            var xv = x.ToArray();
            Assert.That(v, Is.EqualTo(new[] { xv[0], 7f, xv[2], xv[3], 7f, xv[5] }));
        }

        GradientChecker.Check(() => x.MaskedFill(mask, 7f), [x]);
    }

    [Test]
    public void MaskedFill_MaskLargerThanTensor_ThrowsNamingBothShapes()
    {
        using var x = Tensor.Zeros(3);
        using var mask = Tensor.Ones(2, 3);
        Assert.That(() => x.MaskedFill(mask, 1f), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[3]"));
    }

    [Test]
    public void AllClose_TolerancesShapesAndNaN_DecideAsDocumented()
    {
        using var a = Tensor.FromArray([1f, 2f, float.NaN]);
        using var b = Tensor.FromArray([1f, 2.001f, float.NaN]);
        using var c = Tensor.FromArray([1f, 2f, float.NaN], 3, 1);
        Assert.Multiple(() =>
        {
            Assert.That(a.AllClose(b, relativeTolerance: 1e-3f, nanEqual: true), Is.True);
            Assert.That(a.AllClose(b, relativeTolerance: 1e-5f, nanEqual: true), Is.False);
            Assert.That(a.AllClose(b, relativeTolerance: 1e-3f, nanEqual: false), Is.False);
            Assert.That(a.AllClose(c, nanEqual: true), Is.False, "shapes differ");
        });
    }

    private static float[] Expected(Func<float, float, bool> rule) => s_left.Zip(s_right, (x, y) => rule(x, y) ? 1f : 0f).ToArray();
}
