using NasKit.Supernet.Mixing;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Tests;

public sealed class MixedOperationTests
{
    [Test]
    public void Forward_Weights_GivesWeightedSumOfNonZeroOperations()
    {
        // ops: a zero operation (marked as such, weight 0.5), an identity (weight 0.25) and an identity with weight exactly 0: y = 0.25 x.
        var calls = new int[3];
        Module<Tensor, Tensor>[] ops = [new Zero(), new Identity(), new Identity()];
        var mixed = new MixedOperation(ops, [true, false, false]);
        for (var i = 0; i < 3; i++)
        {
            var index = i;
            ((Module<Tensor, Tensor>)mixed.Operations[i]).RegisterForwardHook((_, _, _) => calls[index]++);
        }

        using var x = Tensor.FromArray([1f, -2f, 3f], 3);
        using var w = new MixingWeights(Tensor.FromArray([0.5f, 0.25f, 0f], 3));
        using var y = mixed.Forward(x, w);
        Assert.Multiple(() =>
        {
            Assert.That(y.ToArray(), Is.EqualTo(new[] { 0.25f, -0.5f, 0.75f }).Within(1e-7f));
            Assert.That(calls, Is.EqualTo(new[] { 0, 1, 0 }), "the zero operation and the zero-weight operation must not run");
        });
    }

    [Test]
    public void Forward_OnlyZeroOperationActive_ReturnsZerosShapedLikeInput()
    {
        var mixed = new MixedOperation([new Zero(), new Identity()], [true, false]);
        using var x = Tensor.Ones(2, 3);
        using var w = new MixingWeights(Tensor.FromArray([1f, 0f], 2));
        using var y = mixed.Forward(x, w);
        Assert.Multiple(() =>
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(y.ToArray(), Is.All.EqualTo(0f));
        });
    }

    [Test]
    public void Forward_OnlyStridedZeroOperationActive_ReturnsZerosOfTheReducedShape()
    {
        var mixed = new MixedOperation([new Zero(stride: 2), new Identity()], [true, false]);
        using var x = Tensor.Ones(1, 2, 5, 4);
        using var w = new MixingWeights(Tensor.FromArray([1f, 0f], 2));
        using var y = mixed.Forward(x, w);
        Assert.Multiple(() =>
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 1, 2, 3, 2 }));
            Assert.That(y.ToArray(), Is.All.EqualTo(0f));
        });
    }

    [Test]
    public void Forward_WrongWeightCount_Throws()
    {
        var mixed = new MixedOperation([new Identity(), new Identity()]);
        using var x = Tensor.Ones(2);
        using var w = new MixingWeights(Tensor.Ones(3));
        Assert.That(() => mixed.Forward(x, w), Throws.ArgumentException.With.Message.Contains("2 operations, but got 3 weights"));
    }
}
