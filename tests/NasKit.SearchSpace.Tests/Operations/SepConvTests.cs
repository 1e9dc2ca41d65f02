using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Operations;

/// <summary>Tests of <see cref="SepConv"/>.</summary>
public sealed class SepConvTests
{
    [Test]
    public void Ctor_Channels_TwoDepthwisePointwiseBlocksWithBatchNorms()
    {
        using var module = new SepConv(4, 6, 5, 2, 2);
        var shapes = module.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Shape, StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(shapes["dw1.weight"], Is.EqualTo(new[] { 4, 1, 5, 5 }));
            Assert.That(shapes["pw1.weight"], Is.EqualTo(new[] { 4, 4, 1, 1 }));
            Assert.That(shapes["bn1.weight"], Is.EqualTo(new[] { 4 }));
            Assert.That(shapes["dw2.weight"], Is.EqualTo(new[] { 4, 1, 5, 5 }));
            Assert.That(shapes["pw2.weight"], Is.EqualTo(new[] { 6, 4, 1, 1 }));
            Assert.That(shapes["bn2.bias"], Is.EqualTo(new[] { 6 }));
            Assert.That(shapes, Has.Count.EqualTo(8));
        });
    }

    [Test]
    public void Forward_StrideTwo_OnlyFirstBlockStrides()
    {
        using var scope = TensorScope.Begin();
        using var module = new SepConv(4, 6, 3, 2, 1, generator: new Generator(1));
        var y = module.Call(Tensor.Randn([2, 4, 8, 8], new Generator(2)));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 6, 4, 4 }));
    }

    [Test]
    public void Forward_Backward_EveryParameterGetsAGradient()
    {
        using var scope = TensorScope.Begin();
        using var module = new SepConv(3, 3, 3, 1, 1, generator: new Generator(1));
        var x = Tensor.Randn([2, 3, 5, 5], new Generator(2));
        module.Call(x).Square().Mean().Backward();
        Assert.That(module.Parameters().All(p => p.Grad is not null && p.Grad.ToArray().Any(v => v != 0)), Is.True);
    }
}
