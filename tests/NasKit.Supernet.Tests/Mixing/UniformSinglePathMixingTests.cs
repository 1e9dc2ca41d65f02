using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Supernet.Tests.Mixing;

public sealed class UniformSinglePathMixingTests
{
    [Test]
    public void Mix_ManySeededDraws_AreUniform()
    {
        // Chi-square goodness of fit to uniform, 4 degrees of freedom; 0.999 quantile 18.467 (standard table).
        const int draws = 10_000;
        var rule = new UniformSinglePathMixing(new Generator(21));
        var counts = new int[5];
        using var logits = Tensor.FromArray([5f, 0f, 0f, 0f, -5f], 5);
        for (var n = 0; n < draws; n++)
        {
            using var weights = rule.Mix(logits);
            counts[Enumerable.Range(0, 5).Single(i => !weights.IsZero(i))]++;
        }

        var expected = draws / 5.0;
        var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.That(chiSquare, Is.LessThan(18.467), $"counts {string.Join(", ", counts)}");
    }

    [Test]
    public void Mix_Weights_AreOneHotWithoutGradient()
    {
        using var logits = Tensor.Zeros(5).WithRequiresGrad();
        using var weights = new UniformSinglePathMixing(new Generator(1)).Mix(logits);
        Assert.Multiple(() =>
        {
            Assert.That(weights.Values.Count(v => v == 1f), Is.EqualTo(1));
            Assert.That(weights.ActiveCount, Is.EqualTo(1));
            Assert.That(weights.Weights.RequiresGrad, Is.False);
        });
    }
}
