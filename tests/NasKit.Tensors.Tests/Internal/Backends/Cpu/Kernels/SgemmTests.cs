using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Internal.Threading;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu.Kernels;

/// <summary>
/// The blocked SGEMM kernel against its double-precision reference (Sgemm.cs): shapes around every blocking boundary
/// (KC = 256, MC = 144, NC = 3072, 8×32 and 6×16 micro-tiles), transposes, alpha/beta, offsets, padded leading dimensions
/// and thread-count independence.
/// </summary>
[NonParallelizable]
public class SgemmTests
{
    private const float Sentinel = 12345.5f;

    private static readonly int[][] s_sizes =
    [
        [1, 1, 1],
        [1, 7, 3],
        [5, 1, 9],
        [6, 16, 1],
        [7, 17, 5],
        [8, 32, 8],
        [9, 33, 13],
        [13, 31, 17],
        [12, 64, 40],
        [145, 20, 7],
        [20, 35, 257],
        [3, 3100, 5],
        [150, 40, 513],
        [289, 3, 3],
        [64, 64, 32], // the F(4×4) weight gradient's products: every packed panel made of whole 8×8 register transposes
        [16, 40, 24],
    ];

    private static IEnumerable<TestCaseData> SizesAndTransposes()
    {
        foreach (var s in s_sizes)
        {
            foreach (var ta in new[] { false, true })
            {
                foreach (var tb in new[] { false, true })
                {
                    yield return new TestCaseData(s[0], s[1], s[2], ta, tb).SetArgDisplayNames($"m={s[0]}", $"n={s[1]}", $"k={s[2]}", $"transA={ta}", $"transB={tb}");
                }
            }
        }
    }

    [Test]
    public void Reference_SmallCase_MatchesHandComputedProduct()
    {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]; with transA the stored A is read as its transpose: [1 3; 2 4] · B = [26 30; 38 44].
        float[] a = [1, 2, 3, 4];
        float[] b = [5, 6, 7, 8];
        var c = new float[4];
        Sgemm.Reference(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        var ct = new float[4];
        Sgemm.Reference(true, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, ct, 0, 2);
        var cb = new float[] { 1, 1, 1, 1 };
        Sgemm.Reference(false, true, 2, 2, 2, 2f, a, 0, 2, b, 0, 2, 0.5f, cb, 0, 2); // 2·A·Bᵀ + 0.5: [[34.5 46.5] [78.5 106.5]]
        Assert.Multiple(() =>
        {
            Assert.That(c, Is.EqualTo(new float[] { 19, 22, 43, 50 }));
            Assert.That(ct, Is.EqualTo(new float[] { 26, 30, 38, 44 }));
            Assert.That(cb, Is.EqualTo(new[] { 34.5f, 46.5f, 78.5f, 106.5f }));
        });
    }

    [TestCaseSource(nameof(SizesAndTransposes))]
    public void Compute_AlphaOneBetaZero_MatchesReference(int m, int n, int k, bool transA, bool transB) =>
        RunCase(m, n, k, transA, transB, alpha: 1f, beta: 0f, seed: 1);

    [TestCaseSource(nameof(SizesAndTransposes))]
    public void Compute_AlphaAndBetaWithOffsetsAndPaddedLeadingDimensions_MatchesReference(int m, int n, int k, bool transA, bool transB) =>
        RunCase(m, n, k, transA, transB, alpha: -0.75f, beta: 0.5f, seed: 2, offsetA: 3, offsetB: 5, offsetC: 7, padA: 2, padB: 3, padC: 5);

    [TestCase(false, false)]
    [TestCase(true, true)]
    public void Compute_BetaOne_Accumulates(bool transA, bool transB) =>
        RunCase(37, 45, 300, transA, transB, alpha: 2f, beta: 1f, seed: 3, padC: 1);

    [TestCase(1, 1, 1)]
    [TestCase(9, 33, 13)]
    [TestCase(20, 35, 257)]
    [TestCase(145, 20, 7)]
    public void Compute_BetaZeroWithNaNInC_OverwritesTheGarbage(int m, int n, int k) =>
        RunCase(m, n, k, transA: false, transB: true, alpha: 1.5f, beta: 0f, seed: 4, offsetC: 2, padC: 3, nanInC: true);

    [TestCase(0f)]
    [TestCase(1f)]
    [TestCase(-2f)]
    public void Compute_ZeroInnerDimension_ScalesC(float beta) =>
        RunCase(5, 9, 0, transA: false, transB: false, alpha: 1f, beta: beta, seed: 5, padC: 2, nanInC: beta == 0f);

    [TestCase(0f)]
    [TestCase(0.5f)]
    public void Compute_AlphaZero_ScalesC(float beta) =>
        RunCase(7, 18, 11, transA: true, transB: false, alpha: 0f, beta: beta, seed: 6, padC: 2, nanInC: beta == 0f);

    [Test]
    public void Compute_EmptyOutput_TouchesNothing()
    {
        var c = new[] { Sentinel };
        Sgemm.Compute(false, false, 0, 5, 3, 1f, new float[15], 0, 3, new float[15], 0, 5, 0f, c, 0, 5);
        Sgemm.Compute(false, false, 3, 0, 3, 1f, new float[9], 0, 3, Array.Empty<float>(), 0, 1, 0f, c, 0, 1);
        Assert.That(c[0], Is.EqualTo(Sentinel));
    }

    [TestCase(100, 130, 90, false, false)]
    [TestCase(300, 16, 300, false, true)]
    [TestCase(40, 1000, 70, true, false)]
    [TestCase(150, 300, 260, true, true)]
    public void Compute_OneAndTwoThreads_AreBitIdenticalAndCorrect(int m, int n, int k, bool transA, bool transB)
    {
        // Each case has at least 2^20 multiply-adds, so two threads really split the work (by columns, or by rows when m dominates).
        Assert.That((long)m * n * k, Is.GreaterThanOrEqualTo(1L << 20));
        var original = CpuParallel.ThreadCount;
        try
        {
            CpuParallel.ThreadCount = 1;
            var single = RunCase(m, n, k, transA, transB, alpha: 1.25f, beta: 0.5f, seed: 7, offsetC: 1, padC: 3);
            CpuParallel.ThreadCount = 2;
            var dual = RunCase(m, n, k, transA, transB, alpha: 1.25f, beta: 0.5f, seed: 7, offsetC: 1, padC: 3);
            Assert.That(dual, Is.EqualTo(single).AsCollection, "results must not depend on the thread count");
        }
        finally
        {
            CpuParallel.ThreadCount = original;
        }
    }

    /// <summary>Runs Compute and Reference on identical inputs and checks every element against a rigorous error bound.</summary>
    private static float[] RunCase(
        int m, int n, int k, bool transA, bool transB, float alpha, float beta, int seed,
        int offsetA = 0, int offsetB = 0, int offsetC = 0, int padA = 0, int padB = 0, int padC = 0, bool nanInC = false)
    {
        // Stored A is m×k (k×m when transposed), B is k×n (n×k when transposed); padding columns hold random junk.
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = Math.Max(aCols, 1) + padA, ldb = Math.Max(bCols, 1) + padB, ldc = n + padC;
        var a = TestData.Uniform(seed, offsetA + (aRows * lda) + 3, -1f, 1f);
        var b = TestData.Uniform(seed + 100, offsetB + (bRows * ldb) + 3, -1f, 1f);
        var c0 = new float[offsetC + (m * ldc) + 3];
        Array.Fill(c0, Sentinel);
        var cInit = TestData.Uniform(seed + 200, m * n, -1f, 1f);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                c0[offsetC + (i * ldc) + j] = nanInC ? float.NaN : cInit[(i * n) + j];
            }
        }

        var actual = (float[])c0.Clone();
        var expected = (float[])c0.Clone();
        Sgemm.Compute(transA, transB, m, n, k, alpha, a, offsetA, lda, b, offsetB, ldb, beta, actual, offsetC, ldc);
        Sgemm.Reference(transA, transB, m, n, k, alpha, a, offsetA, lda, b, offsetB, ldb, beta, expected, offsetC, ldc);

        // |Σ a·b| error of any summation order is at most γ_k·Σ|a|·|b| with γ_k ≈ k·u (u = 2^-24); a dropped or duplicated
        // term is of order Σ|a|·|b| / k, far above that.
        var absA = a.Select(Math.Abs).ToArray();
        var absB = b.Select(Math.Abs).ToArray();
        var magnitude = new float[c0.Length];
        Sgemm.Reference(transA, transB, m, n, k, 1f, absA, offsetA, lda, absB, offsetB, ldb, 0f, magnitude, offsetC, ldc);
        var u = Math.Pow(2, -24);
        for (var idx = 0; idx < c0.Length; idx++)
        {
            var inside = idx >= offsetC && (idx - offsetC) / ldc < m && (idx - offsetC) % ldc < n;
            if (!inside)
            {
                Assert.That(actual[idx], Is.EqualTo(Sentinel), $"element {idx} lies outside C and must not be written");
                continue;
            }

            var cOld = nanInC ? 0 : Math.Abs(c0[idx]);
            var bound = (2 * (k + 2) * u * ((Math.Abs(alpha) * magnitude[idx]) + (Math.Abs(beta) * cOld))) + 1e-30;
            Assert.That(float.IsNaN(actual[idx]), Is.False, $"element {idx} is NaN");
            Assert.That(Math.Abs(actual[idx] - expected[idx]), Is.LessThanOrEqualTo(bound),
                $"C[{(idx - offsetC) / ldc}, {(idx - offsetC) % ldc}] = {actual[idx]}, reference {expected[idx]}");
        }

        return actual;
    }
}
