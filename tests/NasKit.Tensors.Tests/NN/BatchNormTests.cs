using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.NN;

public sealed class BatchNormTests
{
    [Test]
    public void Momentum_SetToNullAfterReset_RunningStatisticsAreTheEqualWeightAverageOfBatches()
    {
        // Hand computation: batch (1, 3) has mean 2 and unbiased variance 2; batch (0, 0, 0, 6) has mean 1.5 and unbiased variance
        // 27 / 3 = 9. The cumulative average weights batch k by 1/k: mean 1.75, variance 5.5.
        using var bn = new BatchNorm2d(1, momentum: 0.1);
        using var a = Tensor.FromArray([1f, 3f], 2, 1, 1, 1);
        using var b = Tensor.FromArray([0f, 0f, 0f, 6f], 4, 1, 1, 1);
        using (var warm = bn.Call(b))
        {
        }

        bn.ResetRunningStats();
        bn.Momentum = null;
        using (var ya = bn.Call(a))
        using (var yb = bn.Call(b))
        {
        }

        Assert.Multiple(() =>
        {
            Assert.That(bn.Momentum, Is.Null);
            Assert.That(bn.RunningMean!.Item(), Is.EqualTo(1.75f).Within(1e-6f));
            Assert.That(bn.RunningVar!.Item(), Is.EqualTo(5.5f).Within(1e-5f));
            Assert.That(bn.NumBatchesTracked!.Item(), Is.EqualTo(2f));
        });
    }

    [Test]
    public void Momentum_SetBackToAValue_UsesThatFactorAgain()
    {
        // From mean 0 with momentum 0.5, batch (1, 3) moves the running mean to 0.5 · 0 + 0.5 · 2 = 1.
        using var bn = new BatchNorm1d(1, momentum: null);
        bn.Momentum = 0.5;
        using var a = Tensor.FromArray([1f, 3f], 2, 1);
        using (var y = bn.Call(a))
        {
        }

        Assert.Multiple(() =>
        {
            Assert.That(bn.Momentum, Is.EqualTo(0.5));
            Assert.That(bn.RunningMean!.Item(), Is.EqualTo(1f).Within(1e-6f));
        });
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void Momentum_SetOutsideZeroToOne_ThrowsWithTheValue(double momentum)
    {
        using var bn = new BatchNorm2d(2);
        Assert.Multiple(() =>
        {
            Assert.That(() => bn.Momentum = momentum, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("0 <= momentum <= 1").And.Message.Contains(momentum.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(bn.Momentum, Is.EqualTo(0.1), "a refused value leaves the momentum unchanged");
        });
    }
}
