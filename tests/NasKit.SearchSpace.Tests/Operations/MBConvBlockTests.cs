using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Operations;

/// <summary>Tests <see cref="MBConvBlock"/>.</summary>
public sealed class MBConvBlockTests
{
    [Test]
    public void Ctor_ExpandedBlockWithSe_OfaLayoutAndNames()
    {
        using var block = new MBConvBlock(24, 40, 5, 2, 3, ActivationKind.Relu, useSqueezeExcite: true, generator: new Generator(1));
        var shapes = block.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Shape);
        Assert.Multiple(() =>
        {
            Assert.That(block.MidChannels, Is.EqualTo(72));
            Assert.That(block.HasResidual, Is.False);
            Assert.That(shapes.Keys, Is.EquivalentTo(new[]
            {
                "inverted_bottleneck.conv.weight", "inverted_bottleneck.bn.weight", "inverted_bottleneck.bn.bias",
                "depth_conv.conv.weight", "depth_conv.bn.weight", "depth_conv.bn.bias",
                "depth_conv.se.reduce.weight", "depth_conv.se.reduce.bias", "depth_conv.se.expand.weight", "depth_conv.se.expand.bias",
                "point_linear.conv.weight", "point_linear.bn.weight", "point_linear.bn.bias",
            }));
            Assert.That(shapes["inverted_bottleneck.conv.weight"], Is.EqualTo(new[] { 72, 24, 1, 1 }));
            Assert.That(shapes["depth_conv.conv.weight"], Is.EqualTo(new[] { 72, 1, 5, 5 }));
            Assert.That(shapes["point_linear.conv.weight"], Is.EqualTo(new[] { 40, 72, 1, 1 }));
        });
    }

    [Test]
    public void Ctor_ExpandRatioOne_NoExpansionConvolution()
    {
        using var block = new MBConvBlock(16, 16, 3, 1, 1, ActivationKind.Relu, useSqueezeExcite: false);
        Assert.Multiple(() =>
        {
            Assert.That(block.MidChannels, Is.EqualTo(16));
            Assert.That(block.HasResidual, Is.True);
            Assert.That(block.NamedParameters().Select(p => p.Key), Has.None.StartsWith("inverted_bottleneck"));
            Assert.That(block.ParameterCount(), Is.EqualTo((16 * 9) + 32 + (16 * 16) + 32));
        });
    }

    [Test]
    public void Call_StrideTwo_HalvesSpatialSizeWithSamePadding()
    {
        using var scope = TensorScope.Begin();
        using var block = new MBConvBlock(8, 16, 7, 2, 6, ActivationKind.Hardswish, useSqueezeExcite: true, generator: new Generator(2));
        var y = block.Call(Tensor.Randn([2, 8, 9, 9], new Generator(3)));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 16, 5, 5 }));
    }

    [Test]
    public void Call_Residual_OutputIsInputWhenProjectionIsZero()
    {
        using var scope = TensorScope.Begin();
        using var block = new MBConvBlock(8, 8, 3, 1, 4, ActivationKind.Relu, useSqueezeExcite: false, generator: new Generator(4));
        using (Autograd.NoGrad())
        {
            var bn = block.NamedParameters().Single(p => p.Key == "point_linear.bn.weight").Value;
            Init.Zeros(bn);
        }

        block.Eval();
        var x = Tensor.Randn([1, 8, 6, 6], new Generator(5));
        using (Autograd.NoGrad())
        {
            Assert.That(block.Call(x).ToArray(), Is.EqualTo(x.ToArray()).Within(1e-6f));
        }
    }

    [Test]
    public void Call_Residual_BackwardReachesEveryParameter()
    {
        using var scope = TensorScope.Begin();
        using var block = new MBConvBlock(8, 8, 5, 1, 3, ActivationKind.Hardswish, useSqueezeExcite: true, generator: new Generator(6));
        var x = Tensor.Randn([2, 8, 6, 6], new Generator(7));
        x.RequiresGrad = true;
        block.Call(x).Square().Mean().Backward();
        Assert.Multiple(() =>
        {
            Assert.That(block.NamedParameters().Where(p => p.Value.Grad is null).Select(p => p.Key), Is.Empty);
            Assert.That(x.Grad, Is.Not.Null);
        });
    }

    [Test]
    public void Ctor_BadArguments_ThrowWithValues()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new MBConvBlock(8, 8, 4, 1, 3, ActivationKind.Relu, false), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("kernelSize=4"));
            Assert.That(() => new MBConvBlock(8, 8, 3, 1, 0, ActivationKind.Relu, false), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("expandRatio=0"));
            Assert.That(() => new MBConvBlock(0, 8, 3, 1, 3, ActivationKind.Relu, false), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Call_WrongChannels_ThrowsWithShape()
    {
        using var block = new MBConvBlock(8, 8, 3, 1, 3, ActivationKind.Relu, false);
        Assert.That(() => block.Call(Tensor.Zeros([1, 3, 4, 4])), Throws.ArgumentException.With.Message.Contains("[N, 8, H, W]").And.Message.Contains("[1, 3, 4, 4]"));
    }
}
