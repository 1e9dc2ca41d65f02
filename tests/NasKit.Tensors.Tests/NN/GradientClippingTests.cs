using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.NN;

public class GradientClippingTests
{
    [Test]
    public void ClipGradNorm_NormAboveMax_ScalesToMaxAndReturnsOriginalNorm()
    {
        using var a = new Parameter(Tensor.Zeros(2));
        using var b = new Parameter(Tensor.Zeros(1));
        a.Grad = Tensor.FromArray([3f, 0f]);
        b.Grad = Tensor.FromArray([4f]);
        var norm = GradientClipping.ClipGradNorm([a, b], maxNorm: 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(norm, Is.EqualTo(5.0).Within(1e-6));
            // scale = 1 / (5 + 1e-6), as PyTorch's clip_grad_norm_
            Assert.That(a.Grad!.ToArray()[0], Is.EqualTo(3f / 5f).Within(1e-6));
            Assert.That(b.Grad!.ToArray()[0], Is.EqualTo(4f / 5f).Within(1e-6));
        });
    }

    [Test]
    public void ClipGradNorm_NormBelowMax_LeavesGradients()
    {
        using var a = new Parameter(Tensor.Zeros(2));
        a.Grad = Tensor.FromArray([0.3f, 0.4f]);
        var norm = GradientClipping.ClipGradNorm([a], maxNorm: 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(norm, Is.EqualTo(0.5).Within(1e-6));
            Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 0.3f, 0.4f }));
        });
    }

    [Test]
    public void ClipGradNorm_InfinityNorm_UsesLargestMagnitude()
    {
        using var a = new Parameter(Tensor.Zeros(3));
        a.Grad = Tensor.FromArray([1f, -6f, 2f]);
        var norm = GradientClipping.ClipGradNorm([a], maxNorm: 3.0, normType: double.PositiveInfinity);
        Assert.Multiple(() =>
        {
            Assert.That(norm, Is.EqualTo(6.0).Within(1e-6));
            Assert.That(a.Grad!.ToArray()[1], Is.EqualTo(-3f).Within(1e-5));
        });
    }

    [Test]
    public void ClipGradNorm_NonFiniteWithErrorFlag_Throws()
    {
        using var a = new Parameter(Tensor.Zeros(2));
        a.Grad = Tensor.FromArray([float.NaN, 1f]);
        Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipGradNorm([a], 1.0, errorIfNonfinite: true));
    }

    [Test]
    public void ClipGradValue_ClampsEveryElement()
    {
        using var a = new Parameter(Tensor.Zeros(3));
        a.Grad = Tensor.FromArray([-5f, 0.5f, 7f]);
        GradientClipping.ClipGradValue([a], 1.0);
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { -1f, 0.5f, 1f }));
    }
}
