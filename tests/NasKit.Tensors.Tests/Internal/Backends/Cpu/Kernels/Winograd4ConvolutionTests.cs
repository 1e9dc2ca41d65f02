using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Backends.Cpu;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu.Kernels;

/// <summary>Pins the Winograd F(4×4, 3×3) kernels (forward and input gradient) to the im2col + GEMM reference path.</summary>
[NonParallelizable]
public class Winograd4ConvolutionTests
{
    // (batch, in channels, out channels, height, width, padding): odd and even output sizes (partial 4×4 tiles at the right and
    // bottom), channel counts that are not multiples of the 16-lane vector or the 16-channel block, planes of 1 tile up to tile
    // rows of more than 8 tiles (two permute-gather chunks, the second partial), planes of at most 4 tiles per row (hardware
    // gathers) and wider ones (permutes), paddings 0..2, and batches that split into image groups with a partial last group (the
    // tile axis then spans several images).
    private static readonly object[] s_geometries =
    [
        new object[] { 2, 8, 8, 4, 4, 1 },
        new object[] { 2, 16, 16, 32, 32, 1 },
        new object[] { 3, 9, 17, 7, 5, 1 },
        new object[] { 2, 8, 33, 13, 9, 0 },
        new object[] { 2, 20, 8, 6, 11, 2 },
        new object[] { 7, 64, 64, 8, 8, 1 },
        new object[] { 5, 32, 12, 8, 8, 1 },
        new object[] { 2, 12, 10, 3, 3, 1 },
        new object[] { 2, 8, 8, 1, 1, 1 },
        new object[] { 2, 10, 16, 34, 40, 1 },
        new object[] { 3, 8, 9, 5, 6, 0 },
        new object[] { 9, 17, 31, 16, 16, 1 }, // 527 channel pairs: dW's filter transform eight pairs at a time and seven one by one
        new object[] { 2, 24, 8, 10, 70, 1 },
        new object[] { 3, 32, 16, 14, 14, 1 }, // 4 × 4 tiles per image: the input transform by row permutes
        new object[] { 2, 8, 8, 16, 16, 0 }, // 4 × 4 tiles without padding (masked row reads start inside the plane)
        new object[] { 3, 8, 8, 6, 6, 2 }, // 2 × 2 tiles with padding 2
    ];

    [SetUp]
    public void RequireWinograd()
    {
        if (!Winograd4Convolution.IsSupported)
        {
            Assert.Ignore("Winograd kernels need AVX-512; this machine takes the other paths, which other tests cover.");
        }
    }

    [TearDown]
    public void Restore() => CpuBackend.Algorithm = ConvolutionAlgorithm.Auto;

    [TestCaseSource(nameof(s_geometries))]
    public void Conv2d_Winograd4VersusIm2Col_ForwardAndGradientsAgree(int batch, int cin, int cout, int h, int w, int pad)
    {
        var g = new Generator((batch * 1000) + (cin * 100) + (cout * 10) + h + w + pad);
        using var x = Tensor.Randn([batch, cin, h, w], g);
        using var weight = Tensor.Randn([cout, cin, 3, 3], g).Mul(0.2f);
        using var bias = Tensor.Randn([cout], g);
        Assert.That(Winograd4Convolution.CanUse(Geometry(batch, cin, cout, h, w, pad)), Is.True, "the case must exercise the F(4×4, 3×3) path");

        var (yRef, dxRef, dwRef, dbRef) = Run(ConvolutionAlgorithm.Im2Col, x, weight, bias, pad);
        var (y, dx, dw, db) = Run(ConvolutionAlgorithm.Winograd4, x, weight, bias, pad);

        Assert.Multiple(() =>
        {
            AssertClose(y, yRef, "output");
            AssertClose(dx, dxRef, "input gradient");
            AssertClose(dw, dwRef, "weight gradient");
            AssertClose(db, dbRef, "bias gradient");
        });
    }

    [Test]
    public void Conv2d_Winograd4WrongFilterTransform_WouldBeCaught()
    {
        // The tolerance of AssertClose must be far below the effect of a one-tap error: moving one weight by 1% of its size
        // changes the output by more than the tolerance admits.
        var g = new Generator(11);
        using var x = Tensor.Randn([2, 16, 8, 8], g);
        using var weight = Tensor.Randn([16, 16, 3, 3], g).Mul(0.2f);
        using var bias = Tensor.Zeros([16]);
        var values = weight.ToArray();
        values[4] *= 1.01f;
        using var perturbed = Tensor.FromArray(values, 16, 16, 3, 3);
        var (yRef, _, _, _) = Run(ConvolutionAlgorithm.Im2Col, x, weight, bias, 1);
        var (y, _, _, _) = Run(ConvolutionAlgorithm.Winograd4, x, perturbed, bias, 1);

        Assert.That(WorstDifference(y, yRef), Is.GreaterThan(Tolerance(yRef)));
    }

    [Test]
    public void Conv2d_Winograd4_FiniteDifferencesMatchInputGradient()
    {
        // loss = Σ y ⊙ u; dloss/dx[i] ≈ (loss(x + εe_i) − loss(x − εe_i)) / 2ε, every loss evaluated through the F(4×4, 3×3) forward.
        var g = new Generator(21);
        using var x = Tensor.Randn([2, 16, 9, 10], g);
        using var weight = Tensor.Randn([16, 16, 3, 3], g).Mul(0.2f);
        using var upstream = Tensor.Randn([2, 16, 9, 10], g);
        CpuBackend.Algorithm = ConvolutionAlgorithm.Winograd4;
        using var xs = x.Clone().WithRequiresGrad();
        using var y = Functional.Conv2d(xs, weight, null, 1, 1);
        y.Backward(upstream);
        var grad = xs.Grad!.ToArray();
        var u = upstream.ToArray();
        var baseValues = x.ToArray();

        double Loss(float[] values)
        {
            using var probe = Tensor.FromArray(values, 2, 16, 9, 10);
            using var output = Functional.Conv2d(probe, weight, null, 1, 1);
            var o = output.ToArray();
            double sum = 0;
            for (var i = 0; i < o.Length; i++)
            {
                sum += (double)o[i] * u[i];
            }

            return sum;
        }

        const float Epsilon = 1e-2f;
        Assert.Multiple(() =>
        {
            foreach (var index in new[] { 0, 9, 91, 1000, 1439, 2879 })
            {
                var plus = (float[])baseValues.Clone();
                var minus = (float[])baseValues.Clone();
                plus[index] += Epsilon;
                minus[index] -= Epsilon;
                var numeric = (Loss(plus) - Loss(minus)) / (2 * Epsilon);

                // The loss is linear in x, so the central difference is exact up to float32 rounding of the ~2900-term loss.
                Assert.That(grad[index], Is.EqualTo(numeric).Within(2e-2), $"element {index}");
            }
        });
    }

    [TestCase(9)] // hardware-gather path (3 tiles per row)
    [TestCase(40)] // permute path (10 tiles per row)
    public void Conv2d_Winograd4WithNonFiniteInput_PropagatesLikeReference(int width)
    {
        var g = new Generator(5);
        using var x = Tensor.Randn([2, 16, 10, width], g);
        var values = x.ToArray();
        values[17] = float.NaN;
        values[100] = float.PositiveInfinity;
        values[1000] = float.NegativeInfinity;
        x.CopyFrom(values);
        using var weight = Tensor.Randn([16, 16, 3, 3], g);
        CpuBackend.Algorithm = ConvolutionAlgorithm.Im2Col;
        using var reference = Functional.Conv2d(x, weight, null, 1, 1);
        CpuBackend.Algorithm = ConvolutionAlgorithm.Winograd4;
        using var winograd = Functional.Conv2d(x, weight, null, 1, 1);
        CpuBackend.Algorithm = ConvolutionAlgorithm.Auto;
        var r = reference.ToArray();
        var a = winograd.ToArray();
        var nonFinite = 0;
        Assert.Multiple(() =>
        {
            for (var i = 0; i < r.Length; i++)
            {
                // A non-finite input spreads over its whole 6×6 tile in the transform, so F(4×4, 3×3) may mark more outputs
                // non-finite than the direct sum does (as any fast algorithm does), but never fewer.
                if (!float.IsFinite(r[i]))
                {
                    nonFinite++;
                    Assert.That(float.IsFinite(a[i]), Is.False, $"element {i}: reference {r[i]}, Winograd {a[i]}");
                }
            }

            // All three non-finite inputs lie in the first image: the second image's outputs (other tiles of the same group) stay finite.
            Assert.That(nonFinite, Is.GreaterThan(0));
            Assert.That(a.Skip(a.Length / 2).All(float.IsFinite), Is.True, "second image");
        });
    }

    [TestCase(9)] // hardware-gather path
    [TestCase(40)] // permute path
    public void Conv2d_Winograd4WeightGradientWithNonFiniteInput_PropagatesLikeReference(int width)
    {
        var g = new Generator(6);
        using var x = Tensor.Randn([3, 16, 10, width], g);
        var values = x.ToArray();
        var plane = 10 * width;
        values[(2 * plane) + (4 * width) + 4] = float.NaN; // image 0, channel 2, interior (all nine taps see it)
        values[(16 * plane) + (5 * plane) + (6 * width) + 5] = float.PositiveInfinity; // image 1, channel 5, interior
        x.CopyFrom(values);
        using var weight = Tensor.Randn([16, 16, 3, 3], g).Mul(0.2f);
        using var bias = Tensor.Zeros([16]);
        var (_, _, reference, _) = Run(ConvolutionAlgorithm.Im2Col, x, weight, bias, 1);
        var (_, _, winograd, _) = Run(ConvolutionAlgorithm.Winograd4, x, weight, bias, 1);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < reference.Length; i++)
            {
                var inputChannel = i / 9 % 16;
                var affected = inputChannel is 2 or 5;
                Assert.That(float.IsFinite(reference[i]), Is.EqualTo(!affected), $"reference element {i}");

                // The F(4×4, 3×3) sums mix the nine taps of one (output, input) pair, so every tap of an affected input channel is
                // non-finite; the other input channels must stay finite.
                Assert.That(float.IsFinite(winograd[i]), Is.EqualTo(!affected), $"Winograd element {i}: {winograd[i]}");
            }
        });
    }

    [Test]
    public void Pays_ThirtyTwoChannelsOrMore_ChoosesWinograd4()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Winograd4Convolution.Pays(Geometry(64, 64, 64, 8, 8, 1)), Is.True, "NB201 stage 3");
            Assert.That(Winograd4Convolution.Pays(Geometry(64, 32, 32, 16, 16, 1)), Is.True, "NB201 stage 2");
            Assert.That(Winograd4Convolution.Pays(Geometry(128, 64, 128, 14, 14, 1)), Is.True, "Fashion-MNIST third conv");
            Assert.That(Winograd4Convolution.Pays(Geometry(64, 16, 16, 32, 32, 1)), Is.False, "NB201 stage 1, 16 channels");
            Assert.That(Winograd4Convolution.Pays(Geometry(64, 16, 64, 8, 8, 1)), Is.False, "16 input channels");
            Assert.That(Winograd4Convolution.Pays(Geometry(1, 64, 64, 8, 8, 1)), Is.False, "batch 1");
            Assert.That(Winograd4Convolution.PaysForWeightGradient(Geometry(64, 64, 64, 8, 8, 1)), Is.True, "weight gradient, 64 channels");
            Assert.That(Winograd4Convolution.PaysForWeightGradient(Geometry(128, 32, 64, 28, 28, 1)), Is.True, "weight gradient, 32 → 64 channels");
            Assert.That(Winograd4Convolution.PaysForWeightGradient(Geometry(64, 32, 32, 16, 16, 1)), Is.True, "weight gradient, 32 channels");
            Assert.That(Winograd4Convolution.PaysForWeightGradient(Geometry(64, 16, 64, 16, 16, 1)), Is.False, "weight gradient, 16 input channels");
            Assert.That(Winograd4Convolution.PaysForWeightGradient(Geometry(64, 16, 16, 32, 32, 1)), Is.False, "weight gradient, NB201 stage 1");
            Assert.That(Winograd4Convolution.PaysForWeightGradient(Geometry(64, 32, 16, 16, 16, 1)), Is.False, "weight gradient, 16 output channels");
        });
    }

    private static Conv2dGeometry Geometry(int batch, int cin, int cout, int h, int w, int pad) =>
        new(batch, cin, h, w, cout, h + (2 * pad) - 2, w + (2 * pad) - 2, 3, 3, 1, 1, pad, pad, 1, 1, 1);

    private static (float[] Y, float[] Dx, float[] Dw, float[] Db) Run(ConvolutionAlgorithm algorithm, Tensor x, Tensor weight, Tensor bias, int pad)
    {
        CpuBackend.Algorithm = algorithm;
        try
        {
            using var xs = x.Clone().WithRequiresGrad();
            using var ws = weight.Clone().WithRequiresGrad();
            using var bs = bias.Clone().WithRequiresGrad();
            using var y = Functional.Conv2d(xs, ws, bs, 1, pad);
            using var upstream = Tensor.Randn(y.Shape, new Generator(99));
            y.Backward(upstream);
            return (y.ToArray(), xs.Grad!.ToArray(), ws.Grad!.ToArray(), bs.Grad!.ToArray());
        }
        finally
        {
            CpuBackend.Algorithm = ConvolutionAlgorithm.Auto;
        }
    }

    private static float WorstDifference(float[] actual, float[] expected)
    {
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, MathF.Abs(actual[i] - expected[i]));
        }

        return worst;
    }

    // F(4×4, 3×3) rounds in transforms whose coefficients reach 5 (Bᵀ) and 8 (Aᵀ), on sums of up to 128·9 products: measured
    // worst output errors against im2col were 3e-6 to 8e-6 of the output's largest magnitude on the NB201 and Fashion-MNIST
    // shapes (5e-7 to 7e-7 for F(2×2, 3×3)); 3e-5 leaves room for other seeds and for the gradients, while a 1% error in a single
    // filter tap (Conv2d_Winograd4WrongFilterTransform_WouldBeCaught) still fails.
    private static float Tolerance(float[] expected) => 3e-5f * Math.Max(expected.Length == 0 ? 1f : expected.Max(MathF.Abs), 1f);

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        var worst = WorstDifference(actual, expected);
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance(expected)), $"{what}: worst absolute difference {worst}");
    }
}
