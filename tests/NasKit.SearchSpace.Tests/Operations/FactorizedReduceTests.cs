using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Operations;

/// <summary>Tests of <see cref="FactorizedReduce"/>.</summary>
public sealed class FactorizedReduceTests
{
    [TestCase(8, 4)]
    [TestCase(7, 4)]
    [TestCase(1, 1)]
    public void Forward_Size_HalvesRoundingUp(int size, int expected)
    {
        using var scope = TensorScope.Begin();
        using var module = new FactorizedReduce(3, 6, generator: new Generator(1));
        var y = module.Call(Tensor.Randn([2, 3, size, size], new Generator(2)));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 6, expected, expected }));
    }

    [Test]
    public void Forward_EvenSize_SecondHalfReadsOddRowsAndColumns()
    {
        // With the batch norm at its initial state in evaluation mode (mean 0, variance 1, scale 1, shift 0) the module is
        // y = [conv1(relu x)[::2, ::2], conv2(relu x)[1::2, 1::2]] / sqrt(1 + 1e-5); 1x1 convolutions commute with the subsampling.
        using var scope = TensorScope.Begin();
        using var module = new FactorizedReduce(2, 4, generator: new Generator(3));
        module.Eval();
        var x = Tensor.Randn([1, 2, 6, 6], new Generator(4));
        var y = module.Call(x).ToArray();
        var w = module.NamedParameters().ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        var xs = x.Relu().ToArray();
        var scale = 1f / MathF.Sqrt(1f + 1e-5f);
        var expected = new float[4 * 3 * 3];
        for (var o = 0; o < 4; o++)
        {
            var (weight, shift, row) = o < 2 ? (w["conv1.weight"], 0, o) : (w["conv2.weight"], 1, o - 2);
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    var sum = 0f;
                    for (var c = 0; c < 2; c++)
                    {
                        sum += weight[(row * 2) + c] * xs[(c * 36) + ((((2 * i) + shift) * 6) + (2 * j) + shift)];
                    }

                    expected[(o * 9) + (i * 3) + j] = sum * scale;
                }
            }
        }

        Assert.That(y, Is.EqualTo(expected).Within(1e-5f));
    }

    [Test]
    public void Ctor_OddOutputChannels_ThrowsWithValue()
    {
        Assert.That(() => new FactorizedReduce(4, 3), Throws.ArgumentException.With.Message.Contains("'outChannels % 2 == 0' must hold, but got outChannels=3."));
    }

    [Test]
    public void Forward_Rank3Input_ThrowsWithShape()
    {
        using var scope = TensorScope.Begin();
        using var module = new FactorizedReduce(2, 4);
        Assert.That(() => module.Call(Tensor.Zeros(2, 4, 4)), Throws.ArgumentException.With.Message.Contains("[2, 4, 4]"));
    }
}
