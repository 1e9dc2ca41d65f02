using System.Globalization;
using System.Text;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Backends.Cpu;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Internal.Threading;
using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu.Kernels;

/// <summary>
/// The direct stride-1 convolution (DirectConvolution.cs, chosen by CpuBackend.Convolution.cs under
/// <see cref="ConvolutionAlgorithm.Direct"/>, and under <see cref="ConvolutionAlgorithm.Auto"/> where Winograd does not apply)
/// against the im2col + GEMM reference path (<see cref="ConvolutionAlgorithm.Im2Col"/>):
/// forward output, input gradient, weight and bias gradients over hand-picked and seeded random geometries, one and two
/// threads, the backward-input fallback, NaN/±∞ injection, and the thread-static buffers under concurrent use.
/// </summary>
/// <remarks>
/// Tolerance: every compared element is a float32 sum of K products; both paths sum the same products in different orders,
/// so their difference is measured against M = Σ|product| (computed by the reference path on absolute values) as
/// |direct − reference| ≤ 16·√K·u·M with u = 2⁻²⁴. The worst-case bound would be 2·K·u·M; √K is the typical growth of
/// rounding errors, and the factor 16 leaves a tenfold margin over the largest ratio seen in this sweep (1.54).
/// One dropped or duplicated product changes an element by about M/K, which is 16 times this tolerance for a forward sum of
/// K = 1,617 terms and 4 times for a weight-gradient sum of K = 3,920 (see <see cref="Tolerance_OneWeightPerturbedByOneProduct_IsDetected"/>).
/// </remarks>
[NonParallelizable]
public class DirectConvolutionTests
{
    private const double UnitRoundoff = 1.0 / (1 << 24);
    private const double ToleranceFactor = 16;

    private ConvolutionAlgorithm _savedAlgorithm;
    private int _savedThreads;

    [SetUp]
    public void SaveEngineSettings()
    {
        _savedAlgorithm = CpuBackend.Algorithm;
        _savedThreads = TensorEngine.ThreadCount;
    }

    [TearDown]
    public void RestoreEngineSettings()
    {
        CpuBackend.Algorithm = _savedAlgorithm;
        TensorEngine.ThreadCount = _savedThreads;
    }

    // ---- geometry sweep --------------------------------------------------------------------------------------

    // n, Cin, H, W, Cout, kh, kw, padH, padW, dilation, bias
    private static readonly object[][] s_handPicked =
    [
        [2, 3, 5, 7, 5, 1, 1, 0, 0, 1, true],     // pointwise: the reference takes its no-unfold GEMM path
        [1, 5, 5, 7, 3, 1, 1, 1, 1, 1, false],    // 1×1 with padding: backward input falls back (p > d·(k−1) = 0)
        [2, 1, 13, 9, 1, 2, 2, 0, 0, 1, true],    // even kernel, single channels
        [1, 3, 5, 7, 17, 2, 2, 1, 1, 1, true],    // even kernel, padding = d·(k−1)
        [5, 3, 5, 7, 5, 3, 3, 0, 0, 1, true],     // batch 5, no padding
        [2, 17, 13, 9, 16, 3, 3, 1, 1, 1, false], // 17 = one full channel block + 1
        [1, 16, 28, 28, 33, 3, 3, 1, 1, 1, true], // 33 = two full blocks + 1, 28×28
        [2, 5, 13, 9, 3, 3, 3, 2, 2, 1, true],    // padding = k − 1
        [1, 3, 5, 7, 5, 3, 3, 3, 3, 1, true],     // padding > k − 1: backward input falls back
        [2, 3, 13, 9, 5, 3, 3, 2, 2, 2, true],    // dilation 2, "same" padding
        [1, 5, 13, 9, 17, 3, 3, 0, 0, 2, false],  // dilation 2, no padding
        [2, 3, 13, 9, 5, 3, 3, 3, 3, 2, true],    // dilation 2, padding 3 ≤ d·(k−1) = 4
        [1, 3, 5, 7, 5, 5, 5, 2, 2, 1, true],     // 5×5 "same"
        [2, 5, 13, 9, 3, 5, 5, 0, 0, 1, false],   // 5×5 valid
        [1, 3, 28, 28, 16, 7, 7, 3, 3, 1, true],  // 7×7 stem
        [1, 5, 13, 9, 5, 7, 7, 1, 1, 1, true],    // 7×7 on 13×9: output 9×5
        [2, 3, 13, 9, 5, 3, 5, 1, 2, 1, true],    // non-square kernel, "same"
        [1, 5, 5, 7, 3, 3, 5, 0, 3, 1, false],    // non-square kernel, padding (0, 3)
        [1, 3, 9, 13, 5, 5, 3, 3, 0, 2, true],    // non-square dilated kernel, padH 3 ≤ 8
        [2, 3, 1, 1, 5, 3, 3, 1, 1, 1, true],     // 1×1 input with padding 1: output 1×1
        [1, 5, 1, 1, 3, 3, 3, 2, 2, 1, true],     // 1×1 input with padding 2: output 3×3
        [2, 1, 1, 1, 17, 2, 2, 1, 1, 1, false],   // 1×1 input, even kernel: output 2×2
        [1, 3, 1, 1, 5, 1, 1, 3, 3, 1, true],     // 1×1 kernel on 1×1 input, padding 3: output 7×7, backward input falls back
        [1, 33, 5, 7, 1, 3, 3, 1, 1, 1, true],    // a single output channel from 33 inputs
    ];

    private static IEnumerable<TestCaseData> HandPickedCases()
    {
        foreach (var spec in s_handPicked)
        {
            foreach (var threads in new[] { 1, 2 })
            {
                yield return CaseData(spec, threads);
            }
        }
    }

    private static IEnumerable<TestCaseData> RandomCases()
    {
        // A seeded sample of the full grid, capped at 2.5 million multiply-adds per convolution.
        int[] kernels = [1, 2, 3, 5, 7];
        int[] channels = [1, 3, 5, 16, 17, 33];
        int[] sizes = [1, 5, 7, 9, 13, 28];
        int[] batches = [1, 2, 5];
        var rng = new Random(20240611);
        var produced = 0;
        while (produced < 24)
        {
            var kh = kernels[rng.Next(kernels.Length)];
            var kw = rng.Next(3) == 0 ? kernels[rng.Next(kernels.Length)] : kh;
            int ph = rng.Next(4), pw = rng.Next(4), d = 1 + rng.Next(2);
            int h = sizes[rng.Next(sizes.Length)], w = sizes[rng.Next(sizes.Length)];
            int n = batches[rng.Next(batches.Length)], cin = channels[rng.Next(channels.Length)], cout = channels[rng.Next(channels.Length)];
            var bias = rng.Next(2) == 0;
            var threads = 1 + rng.Next(2);
            int oh = h + (2 * ph) - (d * (kh - 1)), ow = w + (2 * pw) - (d * (kw - 1));
            if (oh <= 0 || ow <= 0 || (long)n * cout * oh * ow * cin * kh * kw > 2_500_000)
            {
                continue;
            }

            produced++;
            yield return CaseData([n, cin, h, w, cout, kh, kw, ph, pw, d, bias], threads);
        }
    }

    private static TestCaseData CaseData(object[] spec, int threads)
    {
        var g = ToGeometry(spec);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"n{g.Batch} c{g.InChannels}->{g.OutChannels} {g.InHeight}x{g.InWidth} k{g.KernelH}x{g.KernelW} p{g.PadH}x{g.PadW} d{g.DilationH}{((bool)spec[10] ? " bias" : string.Empty)} t{threads}");
        return new TestCaseData(spec.Take(10).Cast<int>().ToArray(), (bool)spec[10], threads).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(HandPickedCases))]
    public void AllPasses_HandPickedGeometry_DirectMatchesIm2Col(int[] spec, bool bias, int threads) =>
        CompareAllPasses(ToGeometry(spec), bias, threads, seed: spec.Sum());

    [TestCaseSource(nameof(RandomCases))]
    public void AllPasses_SeededRandomGeometry_DirectMatchesIm2Col(int[] spec, bool bias, int threads) =>
        CompareAllPasses(ToGeometry(spec), bias, threads, seed: 1000 + spec.Sum());

    [Test]
    public void CanUse_SweepGeometries_TakeTheDirectPathWhereDocumented()
    {
        // The sweep above is only meaningful if the Direct setting really runs the direct kernels on this machine.
        Assume.That(DirectConvolution.IsSupported, Is.True, "Vector512 is not accelerated here; every setting takes the im2col path.");
        foreach (var spec in s_handPicked)
        {
            var g = ToGeometry(spec);
            var backwardInputDirect = g.PadH <= g.DilationH * (g.KernelH - 1) && g.PadW <= g.DilationW * (g.KernelW - 1);
            Assert.Multiple(() =>
            {
                Assert.That(DirectConvolution.CanUse(g), Is.True, g.ToString());
                Assert.That(DirectConvolution.CanUseBackwardInput(g), Is.EqualTo(backwardInputDirect), g.ToString());
            });
        }

        // Strided and grouped convolutions stay on the reference path.
        var strided = ToGeometry([1, 3, 9, 9, 4, 3, 3, 1, 1, 1, false]) with { StrideH = 2, OutHeight = 5 };
        var grouped = ToGeometry([1, 4, 9, 9, 4, 3, 3, 1, 1, 1, false]) with { Groups = 2 };
        Assert.Multiple(() =>
        {
            Assert.That(DirectConvolution.CanUse(strided), Is.False);
            Assert.That(DirectConvolution.CanUse(grouped), Is.False);
        });
    }

    [Test]
    public void Tolerance_OneWeightPerturbedByOneProduct_IsDetected()
    {
        // Guards the tolerance itself: an error the size of one average product must fail the comparison, for the
        // largest weight-gradient sum of the sweep (K = 5·28·28 = 3,920 terms) and a large forward sum (K = 33·49).
        var g = ToGeometry([5, 3, 28, 28, 4, 3, 3, 1, 1, 1, false]);
        var data = ConvData.Create(g, bias: false, seed: 5);
        var reference = Run(ConvolutionAlgorithm.Im2Col, g, data);
        var magnitude = Magnitudes(g, data);
        var dw = (float[])reference.GradWeight.Clone();
        var terms = g.Batch * g.OutPlane;
        dw[7] += (float)(magnitude.GradWeight[7] / terms);
        Assert.That(Mismatches(dw, reference.GradWeight, magnitude.GradWeight, terms, [g.OutChannels, g.InChannels, g.KernelH, g.KernelW]), Is.Not.Empty);

        var wide = ToGeometry([1, 33, 13, 9, 5, 7, 7, 3, 3, 1, false]);
        var wideData = ConvData.Create(wide, bias: false, seed: 6);
        var wideReference = Run(ConvolutionAlgorithm.Im2Col, wide, wideData);
        var wideMagnitude = Magnitudes(wide, wideData);
        var y = (float[])wideReference.Output.Clone();
        var wideTerms = wide.InChannels * wide.KernelH * wide.KernelW;
        y[40] += (float)(wideMagnitude.Output[40] / wideTerms);
        Assert.That(Mismatches(y, wideReference.Output, wideMagnitude.Output, wideTerms, [1, wide.OutChannels, wide.OutHeight, wide.OutWidth]), Is.Not.Empty);
    }

    // ---- through the public op ---------------------------------------------------------------------------------

    [TestCase(2, 5, 9, 13, 17, 3, 1, 1, true)]
    [TestCase(1, 3, 7, 5, 16, 5, 2, 1, false)]
    [TestCase(2, 3, 6, 6, 5, 3, 3, 1, true)] // padding 3 > k − 1: backward input falls back
    [TestCase(1, 4, 8, 8, 5, 3, 2, 2, true)]
    public void Conv2dFunctional_DirectAndIm2Col_SameOutputAndGradients(int n, int cin, int h, int w, int cout, int k, int padding, int dilation, bool withBias)
    {
        var x = TestData.Uniform(31, n * cin * h * w);
        var wt = TestData.Uniform(32, cout * cin * k * k);
        var b = TestData.Uniform(33, cout);
        var results = new Dictionary<ConvolutionAlgorithm, float[][]>();
        foreach (var algorithm in new[] { ConvolutionAlgorithm.Im2Col, ConvolutionAlgorithm.Direct })
        {
            CpuBackend.Algorithm = algorithm;
            using var xt = Tensor.FromArray(x, n, cin, h, w).WithRequiresGrad();
            using var wtt = Tensor.FromArray(wt, cout, cin, k, k).WithRequiresGrad();
            using var bt = Tensor.FromArray(b, cout).WithRequiresGrad();
            using var y = Functional.Conv2d(xt, wtt, withBias ? bt : null, stride: 1, padding: padding, dilation: dilation);
            using var upstream = Tensor.FromArray(TestData.Uniform(34, y.NumberOfElements), y.Shape);
            y.Backward(upstream);
            results[algorithm] = [y.ToArray(), xt.Grad!.ToArray(), wtt.Grad!.ToArray(), withBias ? bt.Grad!.ToArray() : []];
        }

        var reference = results[ConvolutionAlgorithm.Im2Col];
        var direct = results[ConvolutionAlgorithm.Direct];
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        Assert.Multiple(() =>
        {
            for (var i = 0; i < names.Length; i++)
            {
                // The largest sum here has 2·9·13 = 234 terms of magnitude at most 1, so 1e-4 is about 2·√K·u·M in the worst case.
                TensorAssert.Close(direct[i], reference[i], rtol: 1e-4, atol: 1e-4, context: names[i]);
            }
        });
    }

    // ---- packed forward weights kept between calls ------------------------------------------------------------

    [Test]
    public void Conv2d_ParameterUnderNoGrad_PacksOnceAndRepacksAfterEveryChange()
    {
        CpuBackend.Algorithm = ConvolutionAlgorithm.Direct;
        using var x = Tensor.FromArray(TestData.Uniform(41, 1 * 5 * 9 * 7), 1, 5, 9, 7);
        using var initial = Tensor.FromArray(TestData.Uniform(42, 17 * 5 * 3 * 3), 17, 5, 3, 3);
        using var replacement = Tensor.FromArray(TestData.Uniform(43, 17 * 5 * 3 * 3), 17, 5, 3, 3);
        var expectedFirst = Reference(x, initial);
        var expectedReplaced = Reference(x, replacement);
        var weight = new Parameter(initial); // shares initial's storage, which the updates below change
        using var noGrad = Autograd.NoGrad();

        var before = DirectConvolution.ForwardPacks;
        var first = Convolve(x, weight);
        var second = Convolve(x, weight);
        var afterRepeat = DirectConvolution.ForwardPacks - before;

        weight.MulInPlace(-2f); // an in-place update bumps the storage version
        var scaled = Convolve(x, weight);
        var afterScale = DirectConvolution.ForwardPacks - before;

        weight.CopyFrom(replacement);
        var replaced = Convolve(x, weight);
        var afterCopy = DirectConvolution.ForwardPacks - before;

        Assert.Multiple(() =>
        {
            Assert.That(afterRepeat, Is.EqualTo(1), "the second call reuses the packed weights");
            Assert.That(afterScale, Is.EqualTo(2), "an in-place update makes the next call repack");
            Assert.That(afterCopy, Is.EqualTo(3), "CopyFrom makes the next call repack");
            Assert.That(second, Is.EqualTo(first).AsCollection, "a reused pack gives the same output");
            TensorAssert.Close(first, expectedFirst, rtol: 1e-5, atol: 1e-5, context: "first call");
            TensorAssert.Close(scaled, first.Select(v => -2f * v).ToArray(), rtol: 1e-5, atol: 1e-5, context: "after MulInPlace");
            TensorAssert.Close(replaced, expectedReplaced, rtol: 1e-5, atol: 1e-5, context: "after CopyFrom");
        });
        weight.Dispose();
    }

    [Test]
    public void Conv2d_WeightsThatMayChangeDuringTheCall_ArePackedEveryCall()
    {
        CpuBackend.Algorithm = ConvolutionAlgorithm.Direct;
        using var x = Tensor.FromArray(TestData.Uniform(44, 2 * 3 * 6 * 6), 2, 3, 6, 6);
        using var plain = Tensor.FromArray(TestData.Uniform(45, 4 * 3 * 3 * 3), 4, 3, 3, 3);
        var trained = new Parameter(plain);

        var before = DirectConvolution.ForwardPacks;
        using (Autograd.NoGrad())
        {
            Convolve(x, plain);
            Convolve(x, plain);
        }

        var plainPacks = DirectConvolution.ForwardPacks - before;
        before = DirectConvolution.ForwardPacks;
        Convolve(x, trained);
        Convolve(x, trained);
        var trainedPacks = DirectConvolution.ForwardPacks - before;

        Assert.Multiple(() =>
        {
            Assert.That(plainPacks, Is.EqualTo(2), "a plain tensor may be a short-lived intermediate: no cached pack");
            Assert.That(trainedPacks, Is.EqualTo(2), "a parameter that records a gradient changes every step: no cached pack");
        });
        trained.Dispose();
    }

    [Test]
    public void Conv2d_PointwiseForward_TakesTheGemmUnlessDirectIsForced()
    {
        using var x = Tensor.FromArray(TestData.Uniform(46, 1 * 16 * 8 * 8), 1, 16, 8, 8);
        using var weight = Tensor.FromArray(TestData.Uniform(47, 24 * 16), 24, 16, 1, 1);
        using var noGrad = Autograd.NoGrad();

        CpuBackend.Algorithm = ConvolutionAlgorithm.Auto;
        var before = DirectConvolution.ForwardPacks;
        var auto = Pointwise(x, weight);
        var autoPacks = DirectConvolution.ForwardPacks - before;

        CpuBackend.Algorithm = ConvolutionAlgorithm.Direct;
        before = DirectConvolution.ForwardPacks;
        var direct = Pointwise(x, weight);
        var directPacks = DirectConvolution.ForwardPacks - before;

        Assert.Multiple(() =>
        {
            Assert.That(autoPacks, Is.Zero, "Auto runs a 1×1 layer on the GEMM");
            Assert.That(directPacks, Is.EqualTo(1), "forcing Direct still runs the direct kernel");
            TensorAssert.Close(auto, direct, rtol: 1e-5, atol: 1e-5, context: "GEMM vs direct");
        });

        static float[] Pointwise(Tensor x, Tensor weight)
        {
            using var y = Functional.Conv2d(x, weight, null);
            return y.ToArray();
        }
    }

    private static float[] Convolve(Tensor x, Tensor weight)
    {
        using var y = Functional.Conv2d(x, weight, null, stride: 1, padding: 1);
        return y.ToArray();
    }

    private static float[] Reference(Tensor x, Tensor weight)
    {
        var previous = CpuBackend.Algorithm;
        CpuBackend.Algorithm = ConvolutionAlgorithm.Im2Col;
        try
        {
            using var noGrad = Autograd.NoGrad();
            return Convolve(x, weight);
        }
        finally
        {
            CpuBackend.Algorithm = previous;
        }
    }

    [Test]
    public void Conv2dBackwardWeight_EmptyBatch_GivesZeroGradients([Values] bool im2col)
    {
        // Σ over an empty batch is zero; the gradient buffers start as pooled garbage, so the kernel must write the zeros.
        CpuBackend.Algorithm = im2col ? ConvolutionAlgorithm.Im2Col : ConvolutionAlgorithm.Direct;
        var g = ToGeometry([0, 3, 5, 5, 4, 3, 3, 1, 1, 1, true]);
        using var dy = GuardedTensor.Of([], 0, 4, 5, 5);
        using var x = GuardedTensor.Of([], 0, 3, 5, 5);
        using var dw = GuardedTensor.Destination(4, 3, 3, 3);
        using var db = GuardedTensor.Destination(4);
        BackendProvider.Cpu.Conv2dBackwardWeight(g, dy.View, x.View, dw.View, db.View);
        Assert.Multiple(() =>
        {
            Assert.That(dw.Read("weight gradient"), Is.All.EqualTo(0f));
            Assert.That(db.Read("bias gradient"), Is.All.EqualTo(0f));
        });
    }

    [Test]
    public void Conv2dFunctional_EmptyBatch_GivesEmptyOutputAndZeroParameterGradients()
    {
        CpuBackend.Algorithm = ConvolutionAlgorithm.Auto;
        using var x = Tensor.Zeros(0, 3, 5, 5).WithRequiresGrad();
        using var w = TestData.Tensor(71, [4, 3, 3, 3], requiresGrad: true);
        using var b = TestData.Tensor(72, [4], requiresGrad: true);
        using var y = Functional.Conv2d(x, w, b, padding: 1);
        using var loss = y.Sum();
        loss.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 0, 4, 5, 5 }));
            Assert.That(w.Grad!.ToArray(), Is.All.EqualTo(0f));
            Assert.That(b.Grad!.ToArray(), Is.All.EqualTo(0f));
        });
    }

    // ---- concurrency --------------------------------------------------------------------------------------------

    [Test]
    public void AllPasses_TwoConvolutionsOnTwoThreadsAtOnce_MatchSequentialResults()
    {
        // Inside a parallel region each thread runs its convolution serially with its own thread-static buffers; two
        // geometries of different sizes run at once and must give the results they give alone.
        TensorEngine.ThreadCount = 2;
        Conv2dGeometry[] geometries = [ToGeometry([2, 17, 13, 9, 5, 3, 3, 1, 1, 1, true]), ToGeometry([3, 3, 28, 28, 16, 5, 5, 2, 2, 1, true])];
        var data = geometries.Select((g, i) => ConvData.Create(g, bias: true, seed: 50 + i)).ToArray();
        var alone = geometries.Select((g, i) => Run(ConvolutionAlgorithm.Direct, g, data[i])).ToArray();
        var together = new ConvResults[2];
        for (var repeat = 0; repeat < 3; repeat++)
        {
            CpuParallel.For(2, i => together[i] = Run(ConvolutionAlgorithm.Direct, geometries[i], data[i]));
            for (var i = 0; i < 2; i++)
            {
                var g = geometries[i];
                var m = Magnitudes(g, data[i]);
                AssertClose(together[i], alone[i], m, g, $"geometry {i}, repeat {repeat}");
            }
        }
    }

    // ---- NaN and infinity injection -----------------------------------------------------------------------------

    private static readonly object[][] s_specialGeometries =
    [
        [2, 3, 7, 9, 17, 3, 3, 1, 1, 1, true],
        [1, 5, 13, 9, 5, 3, 3, 0, 0, 1, true],
        [2, 3, 9, 13, 5, 3, 5, 2, 1, 2, true],
        [1, 3, 5, 7, 3, 1, 1, 1, 1, 1, true],
    ];

    private static IEnumerable<TestCaseData> SpecialCases() => s_specialGeometries.Select(s => CaseData(s, threads: 2));

    [TestCaseSource(nameof(SpecialCases))]
    public void AllPasses_NaNAndInfinityInInput_PropagateLikeIm2ColExceptDocumentedJunkLanes(int[] spec, bool bias, int threads)
    {
        TensorEngine.ThreadCount = threads;
        var g = ToGeometry(spec);
        var data = ConvData.Create(g, bias, seed: 60);
        var inPlane = g.InHeight * g.InWidth;
        // NaN, +∞ and −∞ at a corner, an edge and an interior point, in different images and channels.
        var specials = new List<(int Index, float Value)>
        {
            (0, float.NaN),
            ((((g.Batch - 1) * g.InChannels) + (g.InChannels - 1)) * inPlane + (inPlane / 2), float.PositiveInfinity),
            (((g.InChannels / 2) * inPlane) + (g.InWidth - 1), float.NegativeInfinity),
        };
        foreach (var (index, value) in specials)
        {
            data.Input[index] = value;
        }

        var reference = Run(ConvolutionAlgorithm.Im2Col, g, data);
        var direct = Run(ConvolutionAlgorithm.Direct, g, data);
        var magnitude = Magnitudes(g, data);
        int[] yShape = [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth];
        int[] xShape = [g.Batch, g.InChannels, g.InHeight, g.InWidth];
        int[] wShape = [g.OutChannels, g.InChannels, g.KernelH, g.KernelW];
        var taps = g.KernelH * g.KernelW;
        Assert.Multiple(() =>
        {
            // The forward pass and the input gradient sum exactly the reference's products: same non-finite elements.
            AssertSameNonFinite(direct.Output, reference.Output, magnitude.Output, taps * g.InChannels, yShape, "output");
            AssertSameNonFinite(direct.GradInput, reference.GradInput, magnitude.GradInput, taps * g.OutChannels, xShape, "input gradient");
            AssertSameNonFinite(direct.GradBias, reference.GradBias, magnitude.GradBias, g.Batch * g.OutPlane, [g.OutChannels], "bias gradient");

            // The weight gradient of the direct path also multiplies the zeroed junk lanes of dY (flat positions past the
            // end of a row, and the vector tail) by whatever input value lies under the tap there: a special value that
            // only junk lanes reach turns dW into NaN (0·∞ and 0·NaN are NaN) where the reference stays finite.
            var predicted = PredictJunkLaneContamination(g, specials.Select(s => s.Index));
            AssertNonFiniteSuperset(direct.GradWeight, reference.GradWeight, magnitude.GradWeight, g.Batch * g.OutPlane, wShape, predicted, "weight gradient");
        });
    }

    [TestCaseSource(nameof(SpecialCases))]
    public void AllPasses_NaNAndInfinityInWeights_PropagateLikeIm2ColExceptDocumentedPaddedTaps(int[] spec, bool bias, int threads)
    {
        TensorEngine.ThreadCount = threads;
        var g = ToGeometry(spec);
        var data = ConvData.Create(g, bias, seed: 61);
        var taps = g.KernelH * g.KernelW;
        var specials = new List<(int Index, float Value)>
        {
            (0, float.NaN),
            ((((g.OutChannels - 1) * g.InChannels) + (g.InChannels - 1)) * taps + (taps - 1), float.PositiveInfinity),
            (((g.OutChannels / 2) * g.InChannels * taps) + (taps / 2), float.NegativeInfinity),
        };
        foreach (var (index, value) in specials)
        {
            data.Weight[index] = value;
        }

        var reference = Run(ConvolutionAlgorithm.Im2Col, g, data);
        var direct = Run(ConvolutionAlgorithm.Direct, g, data);
        var magnitude = Magnitudes(g, data);
        int[] yShape = [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth];
        int[] xShape = [g.Batch, g.InChannels, g.InHeight, g.InWidth];
        int[] wShape = [g.OutChannels, g.InChannels, g.KernelH, g.KernelW];
        Assert.Multiple(() =>
        {
            // Forward: im2col multiplies the materialised padding zeros too, so both paths give NaN wherever a special
            // weight meets padding and ±∞ elsewhere in that output channel.
            AssertSameNonFinite(direct.Output, reference.Output, magnitude.Output, taps * g.InChannels, yShape, "output");
            AssertSameNonFinite(direct.GradWeight, reference.GradWeight, magnitude.GradWeight, g.Batch * g.OutPlane, wShape, "weight gradient");

            if (DirectConvolution.CanUseBackwardInput(g))
            {
                // The direct input gradient convolves the zero-padded dY with every tap at every input position, so a
                // special weight W[co, ci, ·, ·] makes the whole input-gradient channel ci non-finite (0·∞ = NaN on the
                // padding), while col2im only adds the products of taps that land inside dY.
                var predicted = new bool[xShape.Aggregate(1, (a, b) => a * b)];
                foreach (var (index, _) in specials)
                {
                    var ci = index / taps % g.InChannels;
                    for (var n = 0; n < g.Batch; n++)
                    {
                        Array.Fill(predicted, true, ((n * g.InChannels) + ci) * g.InPlane, g.InPlane);
                    }
                }

                AssertNonFiniteSuperset(direct.GradInput, reference.GradInput, magnitude.GradInput, taps * g.OutChannels, xShape, predicted, "input gradient");
            }
            else
            {
                AssertSameNonFinite(direct.GradInput, reference.GradInput, magnitude.GradInput, taps * g.OutChannels, xShape, "input gradient");
            }
        });
    }

    [TestCaseSource(nameof(SpecialCases))]
    public void BackwardPasses_NaNAndInfinityInOutputGradient_PropagateExactlyLikeIm2Col(int[] spec, bool bias, int threads)
    {
        TensorEngine.ThreadCount = threads;
        var g = ToGeometry(spec);
        var data = ConvData.Create(g, bias, seed: 62);
        data.GradOutput[1] = float.NaN;
        data.GradOutput[data.GradOutput.Length - 1] = float.PositiveInfinity;
        data.GradOutput[(g.OutChannels / 2 * g.OutPlane) + g.OutWidth] = float.NegativeInfinity;
        var reference = Run(ConvolutionAlgorithm.Im2Col, g, data);
        var direct = Run(ConvolutionAlgorithm.Direct, g, data);
        var magnitude = Magnitudes(g, data);
        var taps = g.KernelH * g.KernelW;
        Assert.Multiple(() =>
        {
            AssertSameNonFinite(direct.GradInput, reference.GradInput, magnitude.GradInput, taps * g.OutChannels, [g.Batch, g.InChannels, g.InHeight, g.InWidth], "input gradient");
            AssertSameNonFinite(direct.GradWeight, reference.GradWeight, magnitude.GradWeight, g.Batch * g.OutPlane, [g.OutChannels, g.InChannels, g.KernelH, g.KernelW], "weight gradient");
            AssertSameNonFinite(direct.GradBias, reference.GradBias, magnitude.GradBias, g.Batch * g.OutPlane, [g.OutChannels], "bias gradient");
        });
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void CompareAllPasses(Conv2dGeometry g, bool bias, int threads, int seed)
    {
        TensorEngine.ThreadCount = threads;
        var data = ConvData.Create(g, bias, seed);
        var reference = Run(ConvolutionAlgorithm.Im2Col, g, data);
        var direct = Run(ConvolutionAlgorithm.Direct, g, data);
        var magnitude = Magnitudes(g, data);
        AssertClose(direct, reference, magnitude, g, g.ToString());
    }

    private static void AssertClose(ConvResults actual, ConvResults expected, ConvResults magnitude, Conv2dGeometry g, string context)
    {
        var taps = g.KernelH * g.KernelW;
        Assert.Multiple(() =>
        {
            Assert.That(Mismatches(actual.Output, expected.Output, magnitude.Output, g.InChannels * taps, [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth]),
                Is.Empty, $"output, {context}");
            Assert.That(Mismatches(actual.GradInput, expected.GradInput, magnitude.GradInput, g.OutChannels * taps, [g.Batch, g.InChannels, g.InHeight, g.InWidth]),
                Is.Empty, $"input gradient, {context}");
            Assert.That(Mismatches(actual.GradWeight, expected.GradWeight, magnitude.GradWeight, g.Batch * g.OutPlane, [g.OutChannels, g.InChannels, g.KernelH, g.KernelW]),
                Is.Empty, $"weight gradient, {context}");
            Assert.That(Mismatches(actual.GradBias, expected.GradBias, magnitude.GradBias, g.Batch * g.OutPlane, [g.OutChannels]),
                Is.Empty, $"bias gradient, {context}");
        });
    }

    /// <summary>Lists (up to five) elements that are not within 16·√K·u·M of the reference, or that differ in finiteness.</summary>
    private static List<string> Mismatches(float[] actual, float[] expected, float[] magnitude, int terms, int[] shape)
    {
        var bad = new List<string>();
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        var scale = ToleranceFactor * Math.Sqrt(Math.Max(terms, 1)) * UnitRoundoff;
        for (var i = 0; i < actual.Length && bad.Count < 5; i++)
        {
            var ok = float.IsFinite(expected[i])
                ? float.IsFinite(actual[i]) && Math.Abs(actual[i] - expected[i]) <= (scale * magnitude[i]) + 1e-30
                : !float.IsFinite(actual[i]);
            if (!ok)
            {
                bad.Add(string.Create(CultureInfo.InvariantCulture,
                    $"[{string.Join(", ", Unravel(i, shape))}] = {actual[i]:R}, reference {expected[i]:R}, tolerance {scale * magnitude[i]:G3}"));
            }
        }

        return bad;
    }

    private static void AssertSameNonFinite(float[] actual, float[] expected, float[] magnitude, int terms, int[] shape, string what) =>
        Assert.That(Mismatches(actual, expected, magnitude, terms, shape), Is.Empty, what);

    /// <summary>
    /// Asserts that the direct result is non-finite wherever the reference is, and within tolerance of the reference
    /// everywhere else except that it may be non-finite at the <paramref name="predicted"/> positions (and only there).
    /// </summary>
    private static void AssertNonFiniteSuperset(float[] actual, float[] expected, float[] magnitude, int terms, int[] shape, bool[] predicted, string what)
    {
        var scale = ToleranceFactor * Math.Sqrt(Math.Max(terms, 1)) * UnitRoundoff;
        var bad = new StringBuilder();
        var extra = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var at = string.Join(", ", Unravel(i, shape));
            if (!float.IsFinite(expected[i]))
            {
                if (float.IsFinite(actual[i]))
                {
                    bad.Append(CultureInfo.InvariantCulture, $"[{at}] is {actual[i]:R} but the reference is {expected[i]}; ");
                }
            }
            else if (predicted[i] && !float.IsFinite(actual[i]))
            {
                extra++; // the documented deviation; a finite value here must match the reference like any other
            }
            else if (!float.IsFinite(actual[i]) || Math.Abs(actual[i] - expected[i]) > (scale * magnitude[i]) + 1e-30)
            {
                bad.Append(CultureInfo.InvariantCulture, $"[{at}] is {actual[i]:R}, reference {expected[i]:R}; ");
            }
        }

        TestContext.Out.WriteLine($"{what}: {extra} elements non-finite where the reference is finite (all at documented positions)");
        Assert.That(bad.ToString(), Is.Empty, what);
    }

    /// <summary>
    /// Models which dW[co, ci, ky, kx] the direct weight-gradient kernel makes non-finite: it sums dYexp[q]·Xpad[ci, q + tap]
    /// over every flat position q &lt; QPadded of the padded-width layout (junk lanes included, where dYexp is zero), so a
    /// special input at flat padded index f contaminates tap t whenever 0 ≤ f − tap(t) &lt; QPadded.
    /// </summary>
    private static bool[] PredictJunkLaneContamination(Conv2dGeometry g, IEnumerable<int> specialInputs)
    {
        var wp = g.InWidth + (2 * g.PadW);
        var qPadded = (g.OutHeight * wp + 15) / 16 * 16;
        var taps = g.KernelH * g.KernelW;
        var predicted = new bool[g.OutChannels * g.InChannels * taps];
        foreach (var index in specialInputs)
        {
            var ci = index / g.InPlane % g.InChannels;
            var iy = index % g.InPlane / g.InWidth;
            var ix = index % g.InWidth;
            var f = ((iy + g.PadH) * wp) + ix + g.PadW;
            for (var ky = 0; ky < g.KernelH; ky++)
            {
                for (var kx = 0; kx < g.KernelW; kx++)
                {
                    var q = f - ((g.DilationH * ky * wp) + (g.DilationW * kx));
                    if (q >= 0 && q < qPadded)
                    {
                        for (var co = 0; co < g.OutChannels; co++)
                        {
                            predicted[(((co * g.InChannels) + ci) * taps) + (ky * g.KernelW) + kx] = true;
                        }
                    }
                }
            }
        }

        return predicted;
    }

    private static int[] Unravel(int index, int[] shape)
    {
        var result = new int[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            result[d] = index % shape[d];
            index /= shape[d];
        }

        return result;
    }

    private static Conv2dGeometry ToGeometry(object[] spec) => ToGeometry(spec.Take(10).Cast<int>().ToArray());

    private static Conv2dGeometry ToGeometry(int[] s)
    {
        int n = s[0], cin = s[1], h = s[2], w = s[3], cout = s[4], kh = s[5], kw = s[6], ph = s[7], pw = s[8], d = s[9];
        return new Conv2dGeometry(n, cin, h, w, cout, h + (2 * ph) - (d * (kh - 1)), w + (2 * pw) - (d * (kw - 1)), kh, kw, 1, 1, ph, pw, d, d, 1);
    }

    /// <summary>Runs the forward pass and both backward passes through the CPU backend with the given algorithm.</summary>
    private static ConvResults Run(ConvolutionAlgorithm algorithm, Conv2dGeometry g, ConvData data)
    {
        var previous = CpuBackend.Algorithm;
        CpuBackend.Algorithm = algorithm;
        try
        {
            var backend = BackendProvider.Cpu;
            int[] xShape = [g.Batch, g.InChannels, g.InHeight, g.InWidth];
            int[] yShape = [g.Batch, g.OutChannels, g.OutHeight, g.OutWidth];
            int[] wShape = [g.OutChannels, g.InChannels, g.KernelH, g.KernelW];
            using var x = GuardedTensor.Of(data.Input, xShape);
            using var w = GuardedTensor.Of(data.Weight, wShape);
            using var b = data.Bias is null ? null : GuardedTensor.Of(data.Bias, g.OutChannels);
            using var dy = GuardedTensor.Of(data.GradOutput, yShape);
            using var y = GuardedTensor.Destination(yShape);
            using var dx = GuardedTensor.Destination(xShape);
            using var dw = GuardedTensor.Destination(wShape);
            using var db = GuardedTensor.Destination(g.OutChannels);
            backend.Conv2dForward(g, x.View, w.View, b?.View, y.View);
            backend.Conv2dBackwardInput(g, dy.View, w.View, dx.View);
            backend.Conv2dBackwardWeight(g, dy.View, x.View, dw.View, db.View);
            return new ConvResults(y.Read("output"), dx.Read("input gradient"), dw.Read("weight gradient"), db.Read("bias gradient"));
        }
        finally
        {
            CpuBackend.Algorithm = previous;
        }
    }

    /// <summary>Returns M = Σ|product| (plus |bias|) for every element, computed by the reference path on absolute values.</summary>
    private static ConvResults Magnitudes(Conv2dGeometry g, ConvData data)
    {
        static float[] Abs(float[] v) => v.Select(e => float.IsFinite(e) ? Math.Abs(e) : 0f).ToArray();
        var abs = new ConvData(Abs(data.Input), Abs(data.Weight), data.Bias is null ? null : Abs(data.Bias), Abs(data.GradOutput));
        return Run(ConvolutionAlgorithm.Im2Col, g, abs);
    }

    private sealed record ConvResults(float[] Output, float[] GradInput, float[] GradWeight, float[] GradBias);

    private sealed record ConvData(float[] Input, float[] Weight, float[]? Bias, float[] GradOutput)
    {
        public static ConvData Create(Conv2dGeometry g, bool bias, int seed) => new(
            TestData.Uniform(seed, g.Batch * g.InChannels * g.InPlane),
            TestData.Uniform(seed + 1, g.OutChannels * g.InChannels * g.KernelH * g.KernelW),
            bias ? TestData.Uniform(seed + 2, g.OutChannels) : null,
            TestData.Uniform(seed + 3, g.Batch * g.OutChannels * g.OutPlane));
    }
}
