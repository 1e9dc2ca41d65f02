using NasKit.Tensors.Internal.Backends.Cpu;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu.Kernels;

/// <summary>Pins the Winograd F(2×2, 3×3) kernels to the im2col + GEMM reference path.</summary>
[NonParallelizable]
public class WinogradConvolutionTests
{
    // (batch, in channels, out channels, height, width, padding): odd and even output sizes, channel counts that are not
    // multiples of the 16-channel block, planes from 1 tile to many tile rows wider than 16 tiles.
    private static readonly object[] s_geometries =
    [
        new object[] { 2, 8, 8, 4, 4, 1 },
        new object[] { 2, 16, 16, 32, 32, 1 },
        new object[] { 3, 9, 17, 7, 5, 1 },
        new object[] { 2, 8, 33, 13, 9, 0 },
        new object[] { 2, 20, 8, 6, 11, 2 },
        new object[] { 4, 32, 12, 8, 8, 1 },
        new object[] { 2, 12, 10, 3, 3, 1 },
        new object[] { 2, 8, 8, 1, 1, 1 },
        new object[] { 2, 10, 16, 34, 40, 1 },
        new object[] { 2, 8, 9, 5, 6, 0 },
    ];

    [SetUp]
    public void RequireWinograd()
    {
        if (!WinogradConvolution.IsSupported)
        {
            Assert.Ignore("Winograd kernels need AVX-512; this machine takes the other paths, which other tests cover.");
        }
    }

    [TearDown]
    public void Restore() => CpuBackend.Algorithm = ConvolutionAlgorithm.Auto;

    [TestCaseSource(nameof(s_geometries))]
    public void Conv2d_WinogradVersusIm2Col_ForwardAndGradientsAgree(int batch, int cin, int cout, int h, int w, int pad)
    {
        var g = new Generator((batch * 1000) + (cin * 100) + (cout * 10) + h + w + pad);
        using var x = Tensor.Randn([batch, cin, h, w], g);
        using var weight = Tensor.Randn([cout, cin, 3, 3], g).Mul(0.2f);
        using var bias = Tensor.Randn([cout], g);
        var geometry = new Conv2dGeometryProbe(batch, cin, cout, h, w, pad);
        Assert.That(geometry.UsesWinograd, Is.True, "the case must exercise the Winograd path");

        var (yRef, dxRef, dwRef, dbRef) = Run(ConvolutionAlgorithm.Im2Col, x, weight, bias, pad, g);
        var (y, dx, dw, db) = Run(ConvolutionAlgorithm.Winograd, x, weight, bias, pad, g);

        Assert.Multiple(() =>
        {
            AssertClose(y, yRef, "output");
            AssertClose(dx, dxRef, "input gradient");
            AssertClose(dw, dwRef, "weight gradient");
            AssertClose(db, dbRef, "bias gradient");
        });
    }

    [Test]
    public void Conv2d_WinogradWithNonFiniteInput_PropagatesLikeReference()
    {
        var g = new Generator(5);
        using var x = Tensor.Randn([2, 8, 6, 6], g);
        var values = x.ToArray();
        values[17] = float.NaN;
        values[100] = float.PositiveInfinity;
        x.CopyFrom(values);
        using var weight = Tensor.Randn([8, 8, 3, 3], g);
        CpuBackend.Algorithm = ConvolutionAlgorithm.Im2Col;
        using var reference = Functional.Conv2d(x, weight, null, 1, 1);
        CpuBackend.Algorithm = ConvolutionAlgorithm.Winograd;
        using var winograd = Functional.Conv2d(x, weight, null, 1, 1);
        CpuBackend.Algorithm = ConvolutionAlgorithm.Auto;
        var r = reference.ToArray();
        var a = winograd.ToArray();
        for (var i = 0; i < r.Length; i++)
        {
            Assert.That(float.IsFinite(a[i]), Is.EqualTo(float.IsFinite(r[i])), $"element {i}: reference {r[i]}, Winograd {a[i]}");
        }
    }

    private static (float[] Y, float[] Dx, float[] Dw, float[] Db) Run(ConvolutionAlgorithm algorithm, Tensor x, Tensor weight, Tensor bias, int pad, Generator g)
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

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        var scale = expected.Length == 0 ? 1f : expected.Max(MathF.Abs);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, MathF.Abs(actual[i] - expected[i]));
        }

        // float32 sums of a few hundred terms: relative error of a few 1e-6 of the largest magnitude
        Assert.That(worst, Is.LessThanOrEqualTo(2e-5f * Math.Max(scale, 1f)), $"{what}: worst absolute difference {worst} (scale {scale})");
    }

    private readonly record struct Conv2dGeometryProbe(int Batch, int Cin, int Cout, int H, int W, int Pad)
    {
        public bool UsesWinograd => WinogradConvolution.CanUse(new NasKit.Tensors.Internal.Backends.Conv2dGeometry(
            Batch, Cin, H, W, Cout, H + (2 * Pad) - 2, W + (2 * Pad) - 2, 3, 3, 1, 1, Pad, Pad, 1, 1, 1));
    }
}
