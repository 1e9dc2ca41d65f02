using System.Globalization;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu.Kernels;

/// <summary>
/// The normalisation building blocks (StatisticsKernels.cs): SquaredDeviations, CenteredDot and Combine over every length
/// 0..256 against double-precision scalar references, with a large mean offset, NaN/±∞ injected into the vector body and
/// the tail, and Combine in place.
/// </summary>
/// <remarks>
/// The reductions accumulate 16 (or 8) float lanes of at most n/16 products each, then sum the lanes: their error is at
/// most (n/16 + 16)·u·Σ|term|, so the tests allow (n/8 + 32)·u·Σ|term|; one missing term (about Σ|term|/n) is at least
/// 50 times that for n ≤ 256. Combine is two fused or three plain float operations: 4·u·(|a·x| + |b·y| + |c|).
/// </remarks>
public class StatisticsKernelsTests
{
    private const double UnitRoundoff = 1.0 / (1 << 24);

    private static readonly float[] s_specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    [Test]
    public void SquaredDeviations_EveryLength0To256_MatchesDoubleReference()
    {
        for (var n = 0; n <= 256; n++)
        {
            var x = TestData.Uniform(n, n, -3f, 5f);
            var mean = n == 0 ? 0.5f : (float)x.Average(v => (double)v);
            AssertReduction(StatisticsKernels.SquaredDeviations(x, mean), SquaredDeviationsReference(x, mean), n, $"n = {n}");
        }
    }

    [Test]
    public void SquaredDeviations_MeanOffset1000_KeepsTheSmallSpread()
    {
        // Values 1000 ± 0.01: the deviations are exact in float (Sterbenz), so only the accumulation rounds.
        for (var n = 1; n <= 256; n += 5)
        {
            var x = TestData.Uniform(1000 + n, n, 999.99f, 1000.01f);
            var mean = (float)x.Average(v => (double)v);
            AssertReduction(StatisticsKernels.SquaredDeviations(x, mean), SquaredDeviationsReference(x, mean), n, $"n = {n}");
        }
    }

    [Test]
    public void CenteredDot_EveryLength0To256_MatchesDoubleReference()
    {
        for (var n = 0; n <= 256; n++)
        {
            var g = TestData.Uniform(300 + n, n, -1f, 1f);
            var x = TestData.Uniform(600 + n, n, 999f, 1001f);
            var magnitude = g.Zip(x, (gi, xi) => Math.Abs(gi * ((double)xi - 1000.25f))).Sum();
            AssertReduction(StatisticsKernels.CenteredDot(g, x, 1000.25f), CenteredDotReference(g, x, 1000.25f), n, $"n = {n}", magnitude);
        }
    }

    [Test]
    public void SumAndCenteredDot_EveryLength0To256AndBlockBoundaries_MatchesDoubleReferences()
    {
        foreach (var n in Enumerable.Range(0, 257).Concat([1023, 1024, 1025, 2100, 3000]))
        {
            var g = TestData.Uniform(900 + n, n, -1f, 1f);
            var x = TestData.Uniform(1200 + n, n, 999f, 1001f);
            var (sum, dot) = StatisticsKernels.SumAndCenteredDot(g, x, 1000.25f);
            var magnitude = g.Zip(x, (gi, xi) => Math.Abs(gi * ((double)xi - 1000.25f))).Sum();
            var block = Math.Min(n, 1024);
            AssertReduction(sum, g.Sum(v => (double)v), block, $"sum, n = {n}", g.Sum(v => Math.Abs((double)v)));
            AssertReduction(dot, CenteredDotReference(g, x, 1000.25f), block, $"centred dot, n = {n}", magnitude);
        }
    }

    [Test]
    public void SumAndCenteredDot_NaNAndInfinityInBodyAndTail_PropagateLikeTheScalarReferences()
    {
        foreach (var n in new[] { 1, 15, 16, 17, 33, 250, 1100 })
        {
            foreach (var special in s_specials)
            {
                foreach (var at in new[] { 0, n / 2, n - 1 })
                {
                    var x = TestData.Uniform(n + at, n, -2f, 2f);
                    var g = TestData.Uniform(n + at + 1, n, -2f, 2f);
                    var context = string.Create(CultureInfo.InvariantCulture, $"n = {n}, [{at}] = {special}");
                    x[at] = special;
                    var (_, dot) = StatisticsKernels.SumAndCenteredDot(g, x, 0.25f);
                    AssertSameClass(dot, CenteredDotReference(g, x, 0.25f), $"special x, {context}");
                    var (sum, dot2) = StatisticsKernels.SumAndCenteredDot(x, g, 0.25f);
                    AssertSameClass(sum, x.Sum(v => (double)v), $"sum, special g, {context}");
                    AssertSameClass(dot2, CenteredDotReference(x, g, 0.25f), $"centred dot, special g, {context}");
                }
            }
        }
    }

    [Test]
    public void Combine_EveryLength0To256_MatchesDoubleReference()
    {
        const float A = 1.75f, B = -0.625f, C = 0.3f;
        for (var n = 0; n <= 256; n++)
        {
            var x = TestData.Uniform(900 + n, n, -4f, 4f);
            var y = TestData.Uniform(1200 + n, n, -4f, 4f);
            var destination = new float[n + 1];
            destination[n] = 12345f;
            StatisticsKernels.Combine(x, A, y, B, C, destination.AsSpan(0, n));
            Assert.That(destination[n], Is.EqualTo(12345f), $"n = {n}: wrote past the destination");
            for (var i = 0; i < n; i++)
            {
                var expected = (x[i] * (double)A) + (y[i] * (double)B) + C;
                var tolerance = 4 * UnitRoundoff * (Math.Abs(x[i] * A) + Math.Abs(y[i] * B) + Math.Abs(C));
                Assert.That(destination[i], Is.EqualTo(expected).Within(tolerance), $"n = {n}, i = {i}");
            }
        }
    }

    [Test]
    public void Combine_InPlaceOverEitherInput_MatchesOutOfPlace()
    {
        for (var n = 0; n <= 70; n++)
        {
            var x = TestData.Uniform(1500 + n, n, -4f, 4f);
            var y = TestData.Uniform(1800 + n, n, -4f, 4f);
            var expected = new float[n];
            StatisticsKernels.Combine(x, -1.5f, y, 2.5f, -0.75f, expected);
            var overX = (float[])x.Clone();
            StatisticsKernels.Combine(overX, -1.5f, y, 2.5f, -0.75f, overX);
            var overY = (float[])y.Clone();
            StatisticsKernels.Combine(x, -1.5f, overY, 2.5f, -0.75f, overY);
            Assert.Multiple(() =>
            {
                Assert.That(overX, Is.EqualTo(expected).AsCollection, $"destination = x, n = {n}");
                Assert.That(overY, Is.EqualTo(expected).AsCollection, $"destination = y, n = {n}");
            });
        }
    }

    [Test]
    public void Reductions_NaNAndInfinityInBodyAndTail_PropagateLikeTheScalarReference()
    {
        // Each special at positions that fall in the first vector, the second 16-lane accumulator and the scalar tail.
        foreach (var n in new[] { 1, 7, 15, 16, 17, 31, 32, 33, 47, 64, 250 })
        {
            foreach (var special in s_specials)
            {
                foreach (var at in new[] { 0, n / 2, n - 1 })
                {
                    var x = TestData.Uniform(n + at, n, -2f, 2f);
                    var g = TestData.Uniform(n + at + 1, n, -2f, 2f);
                    x[at] = special;
                    var context = string.Create(CultureInfo.InvariantCulture, $"n = {n}, x[{at}] = {special}");
                    AssertSameClass(StatisticsKernels.SquaredDeviations(x, 0.25f), SquaredDeviationsReference(x, 0.25f), $"SquaredDeviations, {context}");
                    AssertSameClass(StatisticsKernels.CenteredDot(g, x, 0.25f), CenteredDotReference(g, x, 0.25f), $"CenteredDot, special x, {context}");
                    AssertSameClass(StatisticsKernels.CenteredDot(x, g, 0.25f), CenteredDotReference(x, g, 0.25f), $"CenteredDot, special g, {context}");

                    // ∞ · (x − mean) with x == mean is 0·∞ = NaN, in the vector body as in the tail.
                    var onMean = (float[])g.Clone();
                    onMean[at] = 0.25f;
                    AssertSameClass(StatisticsKernels.CenteredDot(x, onMean, 0.25f), CenteredDotReference(x, onMean, 0.25f), $"CenteredDot, special g on x == mean, {context}");
                }
            }

            // A NaN or infinite mean poisons every non-empty sum.
            var plain = TestData.Uniform(n, n, -2f, 2f);
            AssertSameClass(StatisticsKernels.SquaredDeviations(plain, float.NaN), double.NaN, $"NaN mean, n = {n}");
            AssertSameClass(StatisticsKernels.SquaredDeviations(plain, float.PositiveInfinity), double.PositiveInfinity, $"infinite mean, n = {n}");
        }
    }

    [Test]
    public void Combine_NaNAndInfinityInBodyAndTail_MatchesTheScalarFormula()
    {
        foreach (var n in new[] { 1, 8, 15, 16, 17, 24, 33, 64, 71 })
        {
            foreach (var special in s_specials)
            {
                var x = TestData.Uniform(2000 + n, n, -2f, 2f);
                var y = TestData.Uniform(2100 + n, n, -2f, 2f);
                x[0] = special;
                y[n / 2] = special;
                x[n - 1] = special;
                y[n - 1] = -special; // +∞ and −∞ in one element: NaN
                var destination = new float[n];
                StatisticsKernels.Combine(x, 2f, y, 3f, 1f, destination);
                for (var i = 0; i < n; i++)
                {
                    var expected = (x[i] * 2.0) + (y[i] * 3.0) + 1.0;
                    AssertSameClass(destination[i], expected, string.Create(CultureInfo.InvariantCulture, $"n = {n}, i = {i}, special {special}"));
                }
            }
        }
    }

    private static double SquaredDeviationsReference(float[] x, float mean)
    {
        double s = 0;
        foreach (var v in x)
        {
            s += ((double)v - mean) * ((double)v - mean);
        }

        return s;
    }

    private static double CenteredDotReference(float[] g, float[] x, float mean)
    {
        double s = 0;
        for (var i = 0; i < g.Length; i++)
        {
            s += g[i] * ((double)x[i] - mean);
        }

        return s;
    }

    /// <summary>Asserts |actual − expected| ≤ (n/8 + 32)·u·Σ|term|; Σ|term| is the expected value itself for squared deviations.</summary>
    [Test]
    public void ChannelSums_PlaneSizesAndCountsAcrossRunBoundaries_MatchDoubleReferences()
    {
        // Plane sizes with and without a vector tail (8 × 8 = 64, 1024), plane counts whose runs cross the 1024-element flush, planes
        // longer than a run (cut into several), a stride with other channels' planes between (which must not be read into the sums).
        // Float runs hold at most 1024 elements, so the error bound is that of a 1024-element reduction.
        foreach (var (plane, planes) in new[] { (1, 3), (5, 7), (15, 2), (16, 1), (17, 9), (33, 40), (64, 64), (100, 11), (1024, 3), (1030, 2), (3000, 2) })
        {
            var stride = (3 * plane) + 2;
            var length = ((planes - 1) * stride) + plane;
            var x = TestData.Uniform(plane * 31 + planes, length, 999f, 1001f);
            var g = TestData.Uniform(plane * 37 + planes, length, -1f, 1f);
            var xs = Planes(x, planes, stride, plane);
            var gs = Planes(g, planes, stride, plane);
            var mean = (float)xs.Average(v => (double)v);
            var context = $"plane {plane}, planes {planes}";
            var run = Math.Min(xs.Length, 1024);

            AssertReduction(StatisticsKernels.ChannelSum(x, planes, stride, plane), xs.Sum(v => (double)v), run, $"sum, {context}");
            AssertReduction(StatisticsKernels.ChannelSquaredDeviations(x, planes, stride, plane, mean), SquaredDeviationsReference(xs, mean), run, $"squared deviations, {context}");
            var (sum, dot) = StatisticsKernels.ChannelSumAndCenteredDot(g, x, planes, stride, plane, mean);
            var magnitude = gs.Zip(xs, (gi, xi) => Math.Abs(gi * ((double)xi - mean))).Sum();
            AssertReduction(sum, gs.Sum(v => (double)v), run, $"Σg, {context}", gs.Sum(v => Math.Abs((double)v)));
            AssertReduction(dot, CenteredDotReference(gs, xs, mean), run, $"Σg(x − mean), {context}", magnitude);
        }
    }

    [Test]
    public void ChannelSums_NaNAndInfinityInAPlane_PropagateLikeTheScalarReferences()
    {
        foreach (var (plane, at) in new[] { (64, 0), (64, 130), (17, 16), (17, 40) })
        {
            foreach (var special in s_specials)
            {
                const int PlaneCount = 3;
                var stride = plane + 5;
                var x = TestData.Uniform(plane, ((PlaneCount - 1) * stride) + plane, -1f, 1f);
                var g = TestData.Uniform(plane + 1, x.Length, -1f, 1f);
                var index = (at / plane * stride) + (at % plane);
                x[index] = special;
                var xs = Planes(x, PlaneCount, stride, plane);
                var gs = Planes(g, PlaneCount, stride, plane);
                var context = $"{special} at {at}, plane {plane}";
                AssertSameClass(StatisticsKernels.ChannelSum(x, PlaneCount, stride, plane), xs.Sum(v => (double)v), $"sum, {context}");
                AssertSameClass(StatisticsKernels.ChannelSquaredDeviations(x, PlaneCount, stride, plane, 0.25f), SquaredDeviationsReference(xs, 0.25f), $"squared deviations, {context}");
                AssertSameClass(StatisticsKernels.ChannelSumAndCenteredDot(g, x, PlaneCount, stride, plane, 0.25f).CenteredDot, CenteredDotReference(gs, xs, 0.25f), $"centred dot, {context}");
                AssertSameClass(StatisticsKernels.ChannelSumAndCenteredDot(x, g, PlaneCount, stride, plane, 0.25f).Sum, xs.Sum(v => (double)v), $"Σg, {context}");
            }
        }
    }

    [Test]
    public void ChannelSum_SpanShorterThanThePlanes_Throws()
    {
        var x = new float[100];
        Assert.Throws<ArgumentException>(() => StatisticsKernels.ChannelSum(x, 2, 60, 50));
    }

    private static float[] Planes(float[] data, int planes, int stride, int plane) =>
        [.. Enumerable.Range(0, planes).SelectMany(p => data.Skip(p * stride).Take(plane))];

    private static void AssertReduction(double actual, double expected, int n, string context, double? magnitude = null)
    {
        var tolerance = (((n / 8.0) + 32) * UnitRoundoff * (magnitude ?? expected)) + 1e-30;
        Assert.That(actual, Is.EqualTo(expected).Within(tolerance), context);
    }

    private static void AssertSameClass(double actual, double expected, string context)
    {
        if (double.IsNaN(expected))
        {
            Assert.That(actual, Is.NaN, context);
        }
        else if (double.IsInfinity(expected))
        {
            Assert.That(actual, Is.EqualTo(expected), context);
        }
        else
        {
            Assert.That(double.IsFinite(actual), Is.True, $"{context}: got {actual}, expected {expected}");
        }
    }
}
