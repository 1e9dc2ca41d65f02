using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Operations;

/// <summary>Tests <see cref="SqueezeExcite"/>.</summary>
public sealed class SqueezeExciteTests
{
    [TestCase(72, 24)] // make_divisible(18) = 24: 16 would lose more than 10%
    [TestCase(96, 24)]
    [TestCase(240, 64)] // make_divisible(60) = 64
    [TestCase(16, 8)]
    public void Ctor_Channels_ReducedWidthIsMakeDivisibleOfQuarter(int channels, int reduced)
    {
        using var se = new SqueezeExcite(channels);
        Assert.Multiple(() =>
        {
            Assert.That(se.ReducedChannels, Is.EqualTo(reduced));
            Assert.That(se.Reduce.Weight.Shape, Is.EqualTo(new[] { reduced, channels, 1, 1 }));
            Assert.That(se.Expand.Weight.Shape, Is.EqualTo(new[] { channels, reduced, 1, 1 }));
            Assert.That(se.Reduce.Bias, Is.Not.Null);
            Assert.That(se.Expand.Bias, Is.Not.Null);
        });
    }

    [Test]
    public void Call_ConstantGate_ScalesByHardSigmoidOfExpandBias()
    {
        using var scope = TensorScope.Begin();
        using var se = new SqueezeExcite(8, generator: new Generator(1));
        using (Autograd.NoGrad())
        {
            Init.Zeros(se.Reduce.Weight);
            Init.Zeros(se.Reduce.Bias!);
            Init.Zeros(se.Expand.Weight);
            se.Expand.Bias!.CopyFrom([-4f, -1.5f, 0f, 0.6f, 1.5f, 3f, 4f, 0f]);
        }

        var x = Tensor.Randn([2, 8, 3, 3], new Generator(2));
        var y = se.Call(x);

        // hard sigmoid(b) = clamp(b / 6 + 0.5, 0, 1) for each channel's expand bias b.
        float[] gate = [0f, 0.25f, 0.5f, 0.6f, 0.75f, 1f, 1f, 0.5f];
        var xs = x.ToArray();
        var expected = xs.Select((v, i) => v * gate[(i / 9) % 8]).ToArray();
        Assert.That(y.ToArray(), Is.EqualTo(expected).Within(1e-6f));
    }

    [Test]
    public void Call_Random_GateDependsOnInputAndGradientsReachAllParameters()
    {
        using var scope = TensorScope.Begin();
        using var se = new SqueezeExcite(16, generator: new Generator(3));
        using (Autograd.NoGrad())
        {
            // A reduce bias of 1 keeps the ReLU open so every parameter gets a gradient.
            Init.Ones(se.Reduce.Bias!);
        }

        var x = Tensor.Randn([2, 16, 4, 4], new Generator(4));
        var y = se.Call(x);
        y.Square().Sum().Backward();
        var ratio = y.ToArray().Zip(x.ToArray(), (a, b) => a / b).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(ratio, Is.All.InRange(0f, 1f), "the gate is in [0, 1]");
            Assert.That(ratio[0], Is.Not.EqualTo(ratio[16 * 16]).Within(1e-6f), "the two samples get different gates");
            Assert.That(se.NamedParameters().Where(p => p.Value.Grad is null).Select(p => p.Key), Is.Empty);
        });
    }

    [Test]
    public void Call_WrongChannels_ThrowsWithShape()
    {
        using var se = new SqueezeExcite(8);
        Assert.That(() => se.Call(Tensor.Zeros([1, 4, 2, 2])), Throws.ArgumentException.With.Message.Contains("[N, 8, H, W]").And.Message.Contains("[1, 4, 2, 2]"));
    }
}
