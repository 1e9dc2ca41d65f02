using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Backends.Cpu;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu;

/// <summary>
/// Pooling (CpuBackend.Pooling.cs): the 2×2 stride-2 max-pool fast paths (MaxPool2x2Kernel with AVX-512, MaxPool2x2Plane without), the general max-pool window
/// loop, the adaptive max pool, and the 3×3 stride-1 "same" average-pool path, against a scalar reference written here
/// (first maximum wins in row-major window order, the first NaN wins and propagates, −∞ is an ordinary value).
/// </summary>
public partial class CpuBackendTests
{
    // Out-of-window reads must be caught: guard elements around max-pool inputs are larger than any real value.
    private const float HugeGuard = 3e33f;

    private static readonly (int H, int W)[] s_twoByTwoSizes =
        [(2, 2), (2, 3), (3, 2), (3, 3), (4, 6), (5, 7), (7, 5), (8, 8), (9, 17), (16, 33), (33, 16), (6, 70), (3, 97)];

    [TestCase(1, true)]
    [TestCase(2, true)]
    [TestCase(1, false)]
    [TestCase(2, false)]
    public void MaxPool2dForward_TwoByTwoStrideTwo_MatchesReferenceWithTiesNaNAndInfinities(int threads, bool vectorKernel)
    {
        TensorEngine.ThreadCount = threads;
        var saved = CpuBackend.UseVectorMaxPool;
        CpuBackend.UseVectorMaxPool = vectorKernel && MaxPool2x2Kernel.IsSupported;
        try
        {
            foreach (var (h, w) in s_twoByTwoSizes)
            {
                var g = new Pool2dGeometry(3, h, w, h / 2, w / 2, 2, 2, 2, 2, 0, 0);
                AssertMaxPoolMatchesReference(g, TieRichPlanes(g, seed: h * 100 + w), $"{h}x{w}");
            }

            // 24 planes of 64×64 split into three chunks of planes: two threads really share the work.
            var large = new Pool2dGeometry(24, 64, 64, 32, 32, 2, 2, 2, 2, 0, 0);
            AssertMaxPoolMatchesReference(large, TieRichPlanes(large, seed: 7), "24 planes of 64x64");
        }
        finally
        {
            CpuBackend.UseVectorMaxPool = saved;
        }
    }

    private static IEnumerable<TestCaseData> GeneralMaxPoolCases()
    {
        // h, w, kh, kw, sh, sw, ph, pw, dilation, ceil
        int[][] cases =
        [
            [5, 7, 2, 2, 2, 2, 0, 0, 1, 1],  // ceil mode on odd sizes: partial last windows, fast path rejected
            [3, 3, 2, 2, 2, 2, 0, 0, 1, 1],
            [1, 1, 2, 2, 2, 2, 1, 1, 1, 0],  // 1×1 input, padding 1: one window, three of its four taps in the padding
            [4, 4, 2, 2, 2, 2, 1, 1, 1, 0],  // 2×2/2 with padding: fast path rejected
            [6, 6, 2, 2, 2, 2, 0, 0, 2, 0],  // 2×2/2 with dilation 2: fast path rejected
            [6, 8, 2, 2, 1, 1, 0, 0, 1, 0],  // 2×2 stride 1: overlapping windows
            [7, 9, 3, 3, 2, 2, 1, 1, 1, 0],
            [7, 9, 3, 3, 2, 2, 1, 1, 1, 1],
            [8, 8, 3, 3, 1, 1, 1, 1, 2, 0],
            [9, 6, 2, 3, 2, 1, 1, 1, 1, 1],
            [13, 13, 5, 5, 3, 3, 2, 2, 1, 1],
        ];
        foreach (var c in cases)
        {
            yield return new TestCaseData(c).SetArgDisplayNames(
                $"{c[0]}x{c[1]} k{c[2]}x{c[3]} s{c[4]}x{c[5]} p{c[6]}x{c[7]} d{c[8]}{(c[9] == 1 ? " ceil" : string.Empty)}");
        }
    }

    [TestCaseSource(nameof(GeneralMaxPoolCases))]
    public void MaxPool2dForward_GeneralGeometry_MatchesReferenceWithTiesNaNAndInfinities(int[] c)
    {
        var ceil = c[9] == 1;
        int oh = PoolOutputSize(c[0], c[2], c[4], c[6], c[8], ceil), ow = PoolOutputSize(c[1], c[3], c[5], c[7], c[8], ceil);
        var g = new Pool2dGeometry(3, c[0], c[1], oh, ow, c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[8]);
        AssertMaxPoolMatchesReference(g, TieRichPlanes(g, seed: c.Sum()), string.Join(",", c));
    }

    [TestCase(1, 4, 6)]
    [TestCase(2, 8, 8)]
    [TestCase(2, 2, 34)]
    [TestCase(2, 64, 64)]
    public void MaxPool2d_TwoByTwoAndAdaptiveToHalfSize_SameValuesAndGradients(int threads, int h, int w)
    {
        // On even sizes AdaptiveMaxPool2d to (H/2, W/2) has exactly the 2×2 stride-2 windows but its own window loop.
        TensorEngine.ThreadCount = threads;
        var g = new Pool2dGeometry(2 * 3, h, w, h / 2, w / 2, 2, 2, 2, 2, 0, 0);
        var x = TieRichPlanes(g, seed: 11);
        var upstream = TestData.Uniform(12, g.Planes * g.OutHeight * g.OutWidth);
        float[] FastPath(bool adaptive, out float[] grad)
        {
            using var input = Tensor.FromArray(x, 2, 3, h, w).WithRequiresGrad();
            using var y = adaptive ? Functional.AdaptiveMaxPool2d(input, (h / 2, w / 2)) : Functional.MaxPool2d(input, 2);
            using var dy = Tensor.FromArray(upstream, y.Shape);
            y.Backward(dy);
            grad = input.Grad!.ToArray();
            return y.ToArray();
        }

        var fast = FastPath(adaptive: false, out var fastGrad);
        var general = FastPath(adaptive: true, out var generalGrad);
        Assert.Multiple(() =>
        {
            Assert.That(Differences(fast, general), Is.Empty, "values");
            Assert.That(Differences(fastGrad, generalGrad), Is.Empty, "input gradients");
        });
    }

    [TestCase(5, 7, 2, 2, 0, true)]   // ceil mode: the last row and column of windows are partial
    [TestCase(9, 9, 3, 2, 1, true)]
    [TestCase(6, 8, 3, 1, 1, false)]  // overlapping windows: one input can win several windows
    [TestCase(8, 8, 2, 2, 0, false)]  // the fast path
    [TestCase(7, 5, 2, 2, 0, false)]  // the fast path on odd sizes (last row and column dropped)
    [TestCase(5, 71, 2, 2, 0, false)] // the fast path: two full 16-output vectors and a partial one per row, odd trailing column
    [TestCase(4, 64, 2, 2, 0, false)] // the fast path on exact halves: every gradient element written by the vector stores
    public void MaxPool2d_Backward_ScattersEachGradientToItsWindowsFirstMaximum(int h, int w, int k, int s, int p, bool ceil)
    {
        var saved = CpuBackend.UseVectorMaxPool;
        try
        {
            foreach (var vectorKernel in new[] { true, false })
            {
                CpuBackend.UseVectorMaxPool = vectorKernel && MaxPool2x2Kernel.IsSupported;
                AssertMaxPoolBackwardScatters(h, w, k, s, p, ceil);
            }
        }
        finally
        {
            CpuBackend.UseVectorMaxPool = saved;
        }
    }

    private static void AssertMaxPoolBackwardScatters(int h, int w, int k, int s, int p, bool ceil)
    {
        var oh = PoolOutputSize(h, k, s, p, 1, ceil);
        var ow = PoolOutputSize(w, k, s, p, 1, ceil);
        var g = new Pool2dGeometry(2 * 3, h, w, oh, ow, k, k, s, s, p, p);
        var x = TieRichPlanes(g, seed: 21, specials: false);
        var upstream = TestData.Uniform(22, g.Planes * oh * ow);
        var (values, indices) = ReferenceMaxPool(x, g);
        var expectedGrad = new float[x.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            expectedGrad[(i / (oh * ow) * h * w) + indices[i]] += upstream[i];
        }

        using var input = Tensor.FromArray(x, 2, 3, h, w).WithRequiresGrad();
        using var y = Functional.MaxPool2d(input, k, s, p, ceilMode: ceil);
        using var dy = Tensor.FromArray(upstream, y.Shape);
        y.Backward(dy);
        Assert.Multiple(() =>
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3, oh, ow }));
            Assert.That(Differences(y.ToArray(), values), Is.Empty, "values");
            // Each input receives a sum of at most a few upstream values, added in output order as here: exact.
            Assert.That(Differences(input.Grad!.ToArray(), expectedGrad), Is.Empty, "input gradient");
        });
    }

    // ---- average pooling ---------------------------------------------------------------------------------------

    private static IEnumerable<TestCaseData> AvgPoolCases()
    {
        // h, w, k, s, p; the first group is the 3×3/1/1 "same" window that has its own separable path.
        int[][] shapes =
        [
            [1, 1, 3, 1, 1], [1, 5, 3, 1, 1], [2, 2, 3, 1, 1], [3, 3, 3, 1, 1], [5, 7, 3, 1, 1], [8, 8, 3, 1, 1], [17, 9, 3, 1, 1], [40, 33, 3, 1, 1],
            [7, 9, 3, 2, 1], [8, 8, 2, 2, 0], [5, 7, 3, 1, 0],
        ];
        foreach (var sh in shapes)
        {
            foreach (var countIncludePad in new[] { true, false })
            {
                foreach (var divisor in new[] { 0, 4 })
                {
                    yield return new TestCaseData(sh, countIncludePad, divisor).SetArgDisplayNames(
                        $"{sh[0]}x{sh[1]} k{sh[2]} s{sh[3]} p{sh[4]}", countIncludePad ? "include pad" : "exclude pad", divisor == 0 ? "no override" : $"divisor {divisor}");
                }
            }
        }
    }

    [TestCaseSource(nameof(AvgPoolCases))]
    public void AvgPool2d_ForwardAndBackward_MatchDoublePrecisionReference(int[] shape, bool countIncludePad, int divisor)
    {
        int h = shape[0], w = shape[1], k = shape[2], s = shape[3], p = shape[4];
        int oh = PoolOutputSize(h, k, s, p, 1, false), ow = PoolOutputSize(w, k, s, p, 1, false);
        const int Planes = 2 * 3;
        var x = TestData.Uniform(31 + h + w, Planes * h * w, -2f, 2f);
        var upstream = TestData.Uniform(32 + h + w, Planes * oh * ow);
        var (expectedY, expectedDx, toleranceY, toleranceDx) = ReferenceAvgPool(x, upstream, Planes, h, w, oh, ow, k, s, p, countIncludePad, divisor);
        using var input = Tensor.FromArray(x, 2, 3, h, w).WithRequiresGrad();
        using var y = Functional.AvgPool2d(input, k, s, p, countIncludePad: countIncludePad, divisorOverride: divisor == 0 ? null : divisor);
        using var dy = Tensor.FromArray(upstream, y.Shape);
        y.Backward(dy);
        Assert.Multiple(() =>
        {
            Assert.That(Deviations(y.ToArray(), expectedY, toleranceY), Is.Empty, "output");
            Assert.That(Deviations(input.Grad!.ToArray(), expectedDx, toleranceDx), Is.Empty, "input gradient");
        });
    }

    [TestCase(1, 1)]
    [TestCase(5, 7)]
    [TestCase(16, 17)]
    public void AvgPool2d_ThreeByThreeSameWithNaNAndInfinities_NonFiniteExactlyWhereTheReferenceIs(int h, int w)
    {
        const int Planes = 2;
        var x = TestData.Uniform(41, Planes * h * w, -2f, 2f);
        x[0] = float.NaN;
        x[^1] = float.PositiveInfinity;
        if (h * w > 4)
        {
            x[(h * w) + 2] = float.NegativeInfinity;
            x[(h * w) + 3] = float.PositiveInfinity; // next to −∞: windows holding both give NaN
        }

        var upstream = TestData.Uniform(42, Planes * h * w);
        upstream[Planes * h * w / 2] = float.NaN;
        var (expectedY, expectedDx, toleranceY, toleranceDx) = ReferenceAvgPool(x, upstream, Planes, h, w, h, w, 3, 1, 1, countIncludePad: false, divisor: 0);
        using var input = Tensor.FromArray(x, 1, Planes, h, w).WithRequiresGrad();
        using var y = Functional.AvgPool2d(input, 3, 1, 1, countIncludePad: false);
        using var dy = Tensor.FromArray(upstream, y.Shape);
        y.Backward(dy);
        Assert.Multiple(() =>
        {
            Assert.That(Deviations(y.ToArray(), expectedY, toleranceY), Is.Empty, "output");
            Assert.That(Deviations(input.Grad!.ToArray(), expectedDx, toleranceDx), Is.Empty, "input gradient");
        });
    }

    [TestCase(1, 1, 1, 1)]
    [TestCase(5, 7, 1, 1)]  // one bin: the whole-plane fast path (sum in double, gradient filled)
    [TestCase(64, 64, 1, 1)]
    [TestCase(5, 7, 2, 3)]  // general bins, overlapping where the sizes do not divide
    [TestCase(13, 9, 3, 3)]
    [TestCase(4, 4, 4, 4)]
    public void AdaptiveAvgPool2d_WholePlaneAndGeneralBins_MatchDoublePrecisionReference(int h, int w, int oh, int ow)
    {
        const int Planes = 2 * 3;
        var x = TestData.Uniform(51 + h, Planes * h * w, -2f, 2f);
        x[h * w] = float.NaN; // plane 1: every bin holding this element is NaN (the gradient does not depend on x)
        var upstream = TestData.Uniform(52 + h, Planes * oh * ow);
        var y = new double[Planes * oh * ow];
        var tolY = new double[y.Length];
        var dx = new double[x.Length];
        var tolDx = new double[x.Length];
        for (var pl = 0; pl < Planes; pl++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                // PyTorch's adaptive bins: [floor(i·H/out), ceil((i + 1)·H/out)).
                int y0 = oy * h / oh, y1 = (((oy + 1) * h) + oh - 1) / oh;
                for (var ox = 0; ox < ow; ox++)
                {
                    int x0 = ox * w / ow, x1 = (((ox + 1) * w) + ow - 1) / ow;
                    var o = (((pl * oh) + oy) * ow) + ox;
                    double count = (y1 - y0) * (x1 - x0), sum = 0, mag = 0;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        for (var ix = x0; ix < x1; ix++)
                        {
                            var i = (pl * h * w) + (iy * w) + ix;
                            sum += x[i];
                            mag += float.IsFinite(x[i]) ? Math.Abs(x[i]) : 0;
                            dx[i] += upstream[o] / count;
                            tolDx[i] += 8 * UnitRoundoff * Math.Abs(upstream[o] / count);
                        }
                    }

                    y[o] = sum / count;
                    tolY[o] = ((count / 8) + 32) * UnitRoundoff * mag / count;
                }
            }
        }

        using var input = Tensor.FromArray(x, 2, 3, h, w).WithRequiresGrad();
        using var output = Functional.AdaptiveAvgPool2d(input, (oh, ow));
        using var dy = Tensor.FromArray(upstream, output.Shape);
        output.Backward(dy);
        Assert.Multiple(() =>
        {
            Assert.That(Deviations(output.ToArray(), y, tolY), Is.Empty, "output");
            Assert.That(Deviations(input.Grad!.ToArray(), dx, tolDx.Select(t => t + 1e-30).ToArray()), Is.Empty, "input gradient");
        });
    }

    // ---- references ---------------------------------------------------------------------------------------------

    /// <summary>PyTorch's pooling output size (as documented for torch.nn.MaxPool2d), including the ceil-mode rule that the last window starts inside the input or the left padding.</summary>
    private static int PoolOutputSize(int size, int kernel, int stride, int pad, int dilation, bool ceil)
    {
        var span = size + (2 * pad) - (dilation * (kernel - 1)) - 1;
        var output = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (output - 1) * stride >= size + pad)
        {
            output--;
        }

        return output;
    }

    /// <summary>
    /// Builds planes full of ties (values from {−2, −1, −0, +0, 1, 2}) with NaN, ±∞ and all-−∞ windows injected, and 1e30
    /// in the rows and columns that no window covers (so that a kernel reading them is caught).
    /// </summary>
    private static float[] TieRichPlanes(Pool2dGeometry g, int seed, bool specials = true)
    {
        float[] palette = [-2f, -1f, -0f, 0f, 1f, 2f];
        var rng = new Random(seed);
        var inPlane = g.InHeight * g.InWidth;
        var x = new float[g.Planes * inPlane];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = palette[rng.Next(palette.Length)];
        }

        var coveredRows = Math.Min(g.InHeight, ((g.OutHeight - 1) * g.StrideH) - g.PadH + (g.DilationH * (g.KernelH - 1)) + 1);
        var coveredCols = Math.Min(g.InWidth, ((g.OutWidth - 1) * g.StrideW) - g.PadW + (g.DilationW * (g.KernelW - 1)) + 1);
        for (var pl = 0; pl < g.Planes; pl++)
        {
            for (var iy = 0; iy < g.InHeight; iy++)
            {
                for (var ix = 0; ix < g.InWidth; ix++)
                {
                    if (iy >= coveredRows || ix >= coveredCols)
                    {
                        x[(pl * inPlane) + (iy * g.InWidth) + ix] = 1e30f;
                    }
                }
            }
        }

        if (!specials)
        {
            return x;
        }

        // Specials keyed to output windows: NaN at one window position, two NaNs (the first must win), all four −∞, +∞.
        for (var pl = 0; pl < g.Planes; pl++)
        {
            for (var oy = 0; oy < g.OutHeight; oy++)
            {
                for (var ox = 0; ox < g.OutWidth; ox++)
                {
                    var window = (((pl * g.OutHeight) + oy) * g.OutWidth) + ox;
                    int Position(int ky, int kx)
                    {
                        int iy = (oy * g.StrideH) - g.PadH + (ky * g.DilationH), ix = (ox * g.StrideW) - g.PadW + (kx * g.DilationW);
                        return (uint)iy < (uint)g.InHeight && (uint)ix < (uint)g.InWidth ? (pl * inPlane) + (iy * g.InWidth) + ix : -1;
                    }

                    void Set(int ky, int kx, float value)
                    {
                        var at = Position(ky % g.KernelH, kx % g.KernelW);
                        if (at >= 0)
                        {
                            x[at] = value;
                        }
                    }

                    switch (window % 23)
                    {
                        case 3: Set(0, 1, float.NaN); break;
                        case 6: Set(1, 0, float.NaN); break;
                        case 9: Set(1, 1, float.NaN); Set(1, 0, float.NaN); break;
                        case 12: Set(0, 1, float.NaN); Set(1, 1, float.NaN); break;
                        case 15: Set(1, 1, float.PositiveInfinity); break;
                        case 18:
                            for (var ky = 0; ky < g.KernelH; ky++)
                            {
                                for (var kx = 0; kx < g.KernelW; kx++)
                                {
                                    Set(ky, kx, float.NegativeInfinity);
                                }
                            }

                            break;
                        case 21: Set(0, 0, float.NaN); break;
                    }
                }
            }
        }

        return x;
    }

    /// <summary>Max pooling by definition: row-major window order, the first maximum wins, the first NaN wins and stops the search.</summary>
    private static (float[] Values, int[] Indices) ReferenceMaxPool(float[] x, Pool2dGeometry g)
    {
        var inPlane = g.InHeight * g.InWidth;
        var outPlane = g.OutHeight * g.OutWidth;
        var values = new float[g.Planes * outPlane];
        var indices = new int[values.Length];
        for (var pl = 0; pl < g.Planes; pl++)
        {
            for (var oy = 0; oy < g.OutHeight; oy++)
            {
                for (var ox = 0; ox < g.OutWidth; ox++)
                {
                    var best = float.NegativeInfinity;
                    var bestIndex = -1;
                    for (var ky = 0; ky < g.KernelH; ky++)
                    {
                        for (var kx = 0; kx < g.KernelW; kx++)
                        {
                            int iy = (oy * g.StrideH) - g.PadH + (ky * g.DilationH), ix = (ox * g.StrideW) - g.PadW + (kx * g.DilationW);
                            if ((uint)iy >= (uint)g.InHeight || (uint)ix >= (uint)g.InWidth)
                            {
                                continue;
                            }

                            var v = x[(pl * inPlane) + (iy * g.InWidth) + ix];
                            if (bestIndex < 0 || (!float.IsNaN(best) && (v > best || float.IsNaN(v))))
                            {
                                best = v;
                                bestIndex = (iy * g.InWidth) + ix;
                            }
                        }
                    }

                    values[(pl * outPlane) + (oy * g.OutWidth) + ox] = best;
                    indices[(pl * outPlane) + (oy * g.OutWidth) + ox] = bestIndex;
                }
            }
        }

        return (values, indices);
    }

    private static void AssertMaxPoolMatchesReference(Pool2dGeometry g, float[] x, string context)
    {
        var (expectedValues, expectedIndices) = ReferenceMaxPool(x, g);
        using var input = GuardedTensor.WithGuard(HugeGuard, x, g.Planes, g.InHeight, g.InWidth);
        using var output = GuardedTensor.Destination(g.Planes, g.OutHeight, g.OutWidth);
        using var indexTensor = Tensor.Full([g.Planes, g.OutHeight, g.OutWidth], -7f);
        BackendProvider.Cpu.MaxPool2dForward(g, input.View, output.View, indexTensor);
        var values = output.Read("max-pool output");
        var indices = Array.ConvertAll(indexTensor.ToArray(), v => (int)v);
        Assert.Multiple(() =>
        {
            Assert.That(Differences(values, expectedValues), Is.Empty, $"values, {context}");
            Assert.That(indices, Is.EqualTo(expectedIndices).AsCollection, $"indices, {context}");
        });
    }

    /// <summary>
    /// Average pooling by definition (PyTorch's divisor rules) in double, with per-element tolerances 12·u·Σ|terms| / divisor
    /// for the output and the same for the gradient sums.
    /// </summary>
    private static (double[] Y, double[] Dx, double[] TolY, double[] TolDx) ReferenceAvgPool(
        float[] x, float[] dy, int planes, int h, int w, int oh, int ow, int k, int s, int p, bool countIncludePad, int divisor)
    {
        var y = new double[planes * oh * ow];
        var tolY = new double[y.Length];
        var dx = new double[x.Length];
        var magDx = new double[x.Length];
        for (var pl = 0; pl < planes; pl++)
        {
            for (var oy = 0; oy < oh; oy++)
            {
                for (var ox = 0; ox < ow; ox++)
                {
                    int y0 = (oy * s) - p, x0 = (ox * s) - p;
                    int y1 = Math.Min(y0 + k, h + p), x1 = Math.Min(x0 + k, w + p);
                    var padded = (y1 - y0) * (x1 - x0);
                    int vy0 = Math.Max(y0, 0), vx0 = Math.Max(x0, 0), vy1 = Math.Min(y1, h), vx1 = Math.Min(x1, w);
                    double div = divisor > 0 ? divisor : countIncludePad ? padded : (vy1 - vy0) * (vx1 - vx0);
                    var o = (((pl * oh) + oy) * ow) + ox;
                    double sum = 0, mag = 0;
                    for (var iy = vy0; iy < vy1; iy++)
                    {
                        for (var ix = vx0; ix < vx1; ix++)
                        {
                            var i = (pl * h * w) + (iy * w) + ix;
                            sum += x[i];
                            mag += float.IsFinite(x[i]) ? Math.Abs(x[i]) : 0;
                            dx[i] += dy[o] / div;
                            magDx[i] += float.IsFinite(dy[o]) ? Math.Abs(dy[o]) / div : 0;
                        }
                    }

                    y[o] = sum / div;
                    tolY[o] = (12 * UnitRoundoff * mag / div) + 1e-30;
                }
            }
        }

        return (y, dx, tolY, magDx.Select(m => (12 * UnitRoundoff * m) + 1e-30).ToArray());
    }
}
