using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Operations;

/// <summary>Tests of <see cref="DilConv"/>.</summary>
public sealed class DilConvTests
{
    [TestCase(3, 2, 1, 7)]
    [TestCase(5, 4, 1, 7)]
    [TestCase(3, 2, 2, 4)]
    public void Forward_DartsPadding_KeepsOrHalvesSize(int kernel, int padding, int stride, int expected)
    {
        using var scope = TensorScope.Begin();
        using var module = new DilConv(2, 5, kernel, stride, padding, 2, generator: new Generator(1));
        var y = module.Call(Tensor.Randn([1, 2, 7, 7], new Generator(2)));
        Assert.That(y.Shape, Is.EqualTo(new[] { 1, 5, expected, expected }));
    }

    [Test]
    public void Forward_CenterOnlyInput_ReadsPixelsTwoApart()
    {
        // A single non-zero pixel in the middle of a 9x9 map reaches, through a 3x3 kernel with dilation 2, only the outputs at
        // offsets -2, 0, +2 from it: the other outputs equal the batch-norm output of zero.
        using var scope = TensorScope.Begin();
        using var module = new DilConv(1, 1, 3, 1, 2, 2, generator: new Generator(1));
        module.Eval();
        var data = new float[81];
        data[40] = 1f;
        var y = module.Call(Tensor.FromArray(data, 1, 1, 9, 9)).ToArray();
        var touched = Enumerable.Range(0, 81).Where(i => y[i] != 0f).Select(i => (i / 9, i % 9)).ToList();
        Assert.That(touched, Is.EquivalentTo(new[] { (2, 2), (2, 4), (2, 6), (4, 2), (4, 4), (4, 6), (6, 2), (6, 4), (6, 6) }));
    }
}
