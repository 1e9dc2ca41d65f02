using NasKit.Supernet.Mixing;
using NasKit.Tensors;

namespace NasKit.Supernet.Tests.Mixing;

public sealed class GumbelSoftmaxMixingTests
{
    [Test]
    public void Mix_ManySeededDraws_ChosenIndexFollowsSoftmaxOfLogits()
    {
        // Gumbel-max trick: argmax(alpha + g) ~ softmax(alpha). Chi-square goodness of fit, 4 degrees of freedom;
        // the 0.999 quantile is 18.467 (standard chi-square table).
        float[] alpha = [1f, 0.5f, 0f, -0.5f, -1f];
        const int draws = 20_000;
        var rule = new GumbelSoftmaxMixing(new Generator(11), tau: 0.5);
        var counts = new int[5];
        using var logits = Tensor.FromArray(alpha, 5);
        for (var n = 0; n < draws; n++)
        {
            using var weights = rule.Mix(logits);
            Assert.That(weights.ActiveCount, Is.EqualTo(1));
            counts[Enumerable.Range(0, 5).First(i => !weights.IsZero(i))]++;
        }

        var exp = alpha.Select(a => Math.Exp(a)).ToArray();
        var total = exp.Sum();
        var chiSquare = 0.0;
        for (var i = 0; i < 5; i++)
        {
            var expected = draws * exp[i] / total;
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
        }

        Assert.That(chiSquare, Is.LessThan(18.467), $"counts {string.Join(", ", counts)}");
    }

    [Test]
    public void Mix_Forward_IsExactlyOneHotAndGradientIsSoftmaxStraightThrough()
    {
        using var logits = Tensor.FromArray([0.2f, -0.1f, 0.4f, 0f, 0.3f], 5).WithRequiresGrad();
        using var weights = new GumbelSoftmaxMixing(new Generator(5)).Mix(logits);
        var values = weights.Weights.ToArray();
        var chosen = Array.FindIndex(values, v => v != 0f);
        using var gradOut = Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 5);
        using var grad = Autograd.Grad(weights.Weights, logits, gradOut);
        var g = grad.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(values.Count(v => v == 0f), Is.EqualTo(4));
            Assert.That(values[chosen], Is.EqualTo(1f).Within(1e-6f));
            // Straight-through: the gradient is that of softmax((alpha + g) / tau): nonzero, and its entries sum to zero.
            Assert.That(g.Sum(), Is.EqualTo(0f).Within(1e-5f));
            Assert.That(g.Max(Math.Abs), Is.GreaterThan(1e-3f));
        });
    }

    [Test]
    public void Mix_SameSeed_SameSequence()
    {
        using var logits = Tensor.Zeros(5);
        var a = new GumbelSoftmaxMixing(new Generator(9));
        var b = new GumbelSoftmaxMixing(new Generator(9));
        var sequenceA = new List<int>();
        var sequenceB = new List<int>();
        for (var n = 0; n < 50; n++)
        {
            using var wa = a.Mix(logits);
            using var wb = b.Mix(logits);
            sequenceA.Add(Enumerable.Range(0, 5).First(i => !wa.IsZero(i)));
            sequenceB.Add(Enumerable.Range(0, 5).First(i => !wb.IsZero(i)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(sequenceB, Is.EqualTo(sequenceA));
            Assert.That(sequenceA.Distinct().Count(), Is.GreaterThan(1));
        });
    }
}
