using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Supernet.Tests.Mixing;

public sealed class SoftmaxMixingTests
{
    [Test]
    public void Mix_Logits_GivesSoftmaxWithNoZeros()
    {
        // Hand-computed: softmax(ln 1, ln 2, ln 3, ln 4) = (0.1, 0.2, 0.3, 0.4).
        using var logits = Tensor.FromArray([0f, MathF.Log(2f), MathF.Log(3f), MathF.Log(4f)], 4);
        using var weights = new SoftmaxMixing().Mix(logits);
        Assert.Multiple(() =>
        {
            Assert.That(weights.Weights.ToArray(), Is.EqualTo(new[] { 0.1f, 0.2f, 0.3f, 0.4f }).Within(1e-6f));
            Assert.That(weights.ActiveCount, Is.EqualTo(4));
        });
    }
}
