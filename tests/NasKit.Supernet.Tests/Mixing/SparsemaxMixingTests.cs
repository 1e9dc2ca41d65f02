using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Supernet.Tests.Mixing;

public sealed class SparsemaxMixingTests
{
    // ALGORITHMS.md §1(b) sparsemax test vectors [CALC], p = sparsemax(alpha / T).
    [TestCase(new[] { 0.5f, 0.3f, 0.1f, 0f, -0.2f }, 1.5, new[] { 0.433333f, 0.3f, 0.166667f, 0.1f, 0f })]
    [TestCase(new[] { 0.5f, 0.3f, 0.1f, 0f, -0.2f }, 0.474609375, new[] { 0.7107f, 0.2893f, 0f, 0f, 0f })]
    [TestCase(new[] { 1f, 0f, 0f, 0f, 0f }, 1.5, new[] { 0.733333f, 0.066667f, 0.066667f, 0.066667f, 0.066667f })]
    [TestCase(new[] { 1f, 0f, 0f, 0f, 0f }, 0.474609375, new[] { 1f, 0f, 0f, 0f, 0f })]
    [TestCase(new[] { 2f, 1f, 0.2f, -1f, 0.1f }, 1.5, new[] { 0.833333f, 0.166667f, 0f, 0f, 0f })]
    public void Mix_AlgorithmsVectors_MatchPublishedValues(float[] alpha, double temperature, float[] expected)
    {
        var rule = new SparsemaxMixing(temperature);
        using var logits = Tensor.FromArray(alpha, alpha.Length);
        using var weights = rule.Mix(logits);
        var values = weights.Weights.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(values, Is.EqualTo(expected).Within(1e-4f));
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.That(weights.IsZero(i), Is.EqualTo(expected[i] == 0f), $"exact zero at {i}");
            }
        });
    }

    [Test]
    public void Mix_Backward_IsSparsemaxJacobianDividedByTemperature()
    {
        // alpha = (0.5, 0.3, 0.1, 0, -0.2), T = 1.5: support {0, 1, 2, 3}; grad_alpha_i = 1[i in S] (g_i - mean_S g) / T.
        float[] g = [1f, -2f, 0.5f, 3f, 7f];
        var meanS = (1f - 2f + 0.5f + 3f) / 4f;
        var expected = new[] { (1f - meanS) / 1.5f, (-2f - meanS) / 1.5f, (0.5f - meanS) / 1.5f, (3f - meanS) / 1.5f, 0f };
        using var logits = Tensor.FromArray([0.5f, 0.3f, 0.1f, 0f, -0.2f], 5).WithRequiresGrad();
        using var weights = new SparsemaxMixing(1.5).Mix(logits);
        using var gradOut = Tensor.FromArray(g, 5);
        using var grad = Autograd.Grad(weights.Weights, logits, gradOut);
        Assert.That(grad.ToArray(), Is.EqualTo(expected).Within(1e-5f));
    }

    [TestCase(0, 1.5)]
    [TestCase(4, 1.5)]
    [TestCase(5, 1.125)]
    [TestCase(20, 0.474609375)]
    [TestCase(49, 0.11262702941894531)]
    public void AnnealedTemperature_Epoch_FollowsClosedForm(int epoch, double expected)
    {
        // ALGORITHMS.md §1(b): T(e) = 1.5 * 0.75^floor(e / 5); T = 0.1126 in the last 5 of 50 epochs.
        Assert.That(SparsemaxMixing.AnnealedTemperature(epoch), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Temperature_NonPositive_Throws()
    {
        var rule = new SparsemaxMixing();
        Assert.That(() => rule.Temperature = 0, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Temperature=0"));
    }
}
