using NasKit.Hardware.Latency;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Tests.Latency;

public sealed class LayerSignatureTests
{
    [Test]
    public void ForLeaf_Conv2d_IsRepresentationAtShape()
    {
        using var conv = new Conv2d(16, 16, 3, padding: 1, bias: false, generator: new Generator(1));
        Assert.That(LayerSignature.ForLeaf(conv, [1, 16, 32, 32]), Is.EqualTo(conv.ToString() + "@1x16x32x32"));
        Assert.That(LayerSignature.ForLeaf(conv, [1, 16, 32, 32]), Does.StartWith("Conv2d(16, 16, kernel_size=(3, 3)"));
    }

    [Test]
    public void ForLeaf_DifferentHyperParametersOrShapes_GiveDifferentKeys()
    {
        using var a = new Conv2d(4, 4, 3, padding: 1, bias: false, generator: new Generator(1));
        using var b = new Conv2d(4, 4, 3, stride: 2, padding: 1, bias: false, generator: new Generator(1));
        using var c = new Conv2d(4, 4, 3, padding: 1, bias: false, generator: new Generator(9));
        var keys = new[]
        {
            LayerSignature.ForLeaf(a, [1, 4, 8, 8]),
            LayerSignature.ForLeaf(b, [1, 4, 8, 8]),
            LayerSignature.ForLeaf(a, [2, 4, 8, 8]),
        };
        Assert.Multiple(() =>
        {
            Assert.That(keys, Is.Unique);
            Assert.That(LayerSignature.ForLeaf(c, [1, 4, 8, 8]), Is.EqualTo(keys[0]), "weights must not change the key");
        });
    }

    [Test]
    public void ForLeaf_ModuleWithChildren_Throws()
    {
        using var seq = new Sequential(new ReLU());
        var e = Assert.Throws<ArgumentException>(() => LayerSignature.ForLeaf(seq, [1, 2]));
        Assert.That(e!.Message, Does.Contain("Sequential has 1"));
    }

    [Test]
    public void ForSelfWork_GroupsAndCountsKernels()
    {
        using var seq = new Sequential(new ReLU());
        TracedKernel Add(int i) => new(i, "Binary.Add", KernelCategory.Elementwise, false, [0, 1], 2 + i, [1, 4, 2, 2], 0, 16);
        var key = LayerSignature.ForSelfWork(seq, [1, 4, 2, 2], [Add(0), Add(1), new TracedKernel(2, "Copy", KernelCategory.Memory, false, [5], 6, [1, 4, 2, 2], 0, 0)]);
        Assert.That(key, Is.EqualTo("Sequential:self[Binary.Add:1x4x2x2*2, Copy:1x4x2x2]@1x4x2x2"));
    }

    [TestCase(new int[0])]
    [TestCase(new[] { 1, 0, 3 })]
    public void FormatShape_EmptyOrNonPositive_Throws(int[] shape)
    {
        Assert.Throws<ArgumentException>(() => LayerSignature.FormatShape(shape));
    }
}
