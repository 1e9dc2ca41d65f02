using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Tests;

public sealed class BatchNormRecalibrationTests
{
    // PyTorch 1.13: Fixtures/bn_recalibration.py, running statistics of both batch norms after the SPOS recalibration over batches of
    // sizes 2, 3 and 1 (reset, momentum=None, train mode, no_grad).
    private static readonly float[] s_bn0Mean = [1.0020189e+00f, 9.4626355e-01f, 7.5773108e-01f];
    private static readonly float[] s_bn0Var = [1.5090822e+00f, 1.4330610e+00f, 1.2271147e+00f];
    private static readonly float[] s_bn1Mean = [-3.5176894e-01f, -6.9311512e-01f];
    private static readonly float[] s_bn1Var = [1.7678041e-02f, 1.1974303e-01f];

    // PyTorch 1.13: Fixtures/bn_recalibration.py, the eval-mode output for batch 0 after recalibration.
    private static readonly float[] s_evalOutput =
    [
        -8.9378971e-01f, -1.0013130e+00f, -9.6818811e-01f, -9.1793597e-01f, -1.0464845e+00f, -1.1183378e+00f, -1.0571406e+00f, -9.0508896e-01f,
        -8.4676969e-01f, -7.7743065e-01f, -6.7654848e-01f, -6.1530727e-01f, -5.7475239e-01f, -4.3249607e-01f, -3.3941984e-01f, -4.5240363e-01f,
        -7.5250518e-01f, -7.9246759e-01f, -7.7931821e-01f, -7.5913006e-01f, -8.0386806e-01f, -8.2771492e-01f, -8.0523533e-01f, -7.3704714e-01f,
        -7.0199335e-01f, -6.4742720e-01f, -5.8658773e-01f, -5.6698316e-01f, -5.6645185e-01f, -4.8859027e-01f, -4.3741485e-01f, -5.0859869e-01f,
        -6.1386192e-01f, -4.8853090e-01f, -5.4081863e-01f, -6.1644560e-01f, -4.7994602e-01f, -4.1675049e-01f, -5.1310891e-01f, -6.6876984e-01f,
        -7.2175461e-01f, -7.9157603e-01f, -8.6793190e-01f, -9.1780835e-01f, -9.6865690e-01f, -1.0930291e+00f, -1.1211421e+00f, -1.0727774e+00f,
        -5.6517428e-01f, -4.9116653e-01f, -5.2866834e-01f, -5.8318573e-01f, -5.2403736e-01f, -5.0303066e-01f, -5.6241524e-01f, -6.4476830e-01f,
        -6.7800760e-01f, -7.1624994e-01f, -7.4469167e-01f, -7.6082057e-01f, -7.7647895e-01f, -8.2130605e-01f, -8.2842505e-01f, -8.1298083e-01f,
    ];

    private static float[] Fill(int count, double offset, double scale = 1.0, double phase = 0.1)
    {
        var values = new float[count];
        for (var j = 0; j < count; j++)
        {
            values[j] = (float)(Math.Sin((phase * j) + offset) * scale);
        }

        return values;
    }

    private static Tensor Batch(int size, int index)
    {
        var values = Fill(size * 2 * 4 * 4, 0.7 * index);
        for (var j = 0; j < values.Length; j++)
        {
            values[j] += 0.2f * index;
        }

        return Tensor.FromArray(values, size, 2, 4, 4);
    }

    private static Sequential FixtureModel()
    {
        var model = new Sequential(
            new Conv2d(2, 3, 3, padding: 1, bias: false),
            new BatchNorm2d(3),
            new ReLU(),
            new Conv2d(3, 2, 1, bias: false),
            new BatchNorm2d(2, momentum: 0.3));
        var named = model.NamedParameters().OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        using (Autograd.NoGrad())
        {
            for (var k = 0; k < named.Count; k++)
            {
                named[k].Value.CopyFrom(Fill(named[k].Value.NumberOfElements, 1.1 * k, 0.5, 0.37));
            }
        }

        return model;
    }

    private static void Pollute(Sequential model)
    {
        model.Train();
        using (Autograd.NoGrad())
        {
            for (var b = 0; b < 2; b++)
            {
                using var x = Tensor.FromArray(Fill(4 * 2 * 4 * 4, 3.0 + b, 2.0), 4, 2, 4, 4);
                using var y = model.Call(x);
            }
        }
    }

    [Test]
    public void Recalibrate_ThreeBatchesOfDifferentSizes_MatchesPyTorchCumulativeAverage()
    {
        using var model = FixtureModel();
        Pollute(model);
        var batches = new[] { Batch(2, 0), Batch(3, 1), Batch(1, 2) };
        try
        {
            var count = BatchNormRecalibration.Recalibrate(model, batches);
            var bn0 = (BatchNorm2d)model[1];
            var bn1 = (BatchNorm2d)model[4];
            using var output = model.Call(batches[0]);
            Assert.Multiple(() =>
            {
                Assert.That(count, Is.EqualTo(3));
                Assert.That(bn0.RunningMean!.ToArray(), Is.EqualTo(s_bn0Mean).Within(2e-6f));
                Assert.That(bn0.RunningVar!.ToArray(), Is.EqualTo(s_bn0Var).Within(2e-6f));
                Assert.That(bn1.RunningMean!.ToArray(), Is.EqualTo(s_bn1Mean).Within(2e-6f));
                Assert.That(bn1.RunningVar!.ToArray(), Is.EqualTo(s_bn1Var).Within(2e-7f));
                Assert.That(bn0.NumBatchesTracked!.Item(), Is.EqualTo(3f));
                Assert.That(bn1.NumBatchesTracked!.Item(), Is.EqualTo(3f));
                Assert.That(bn0.Momentum, Is.EqualTo(0.1));
                Assert.That(bn1.Momentum, Is.EqualTo(0.3));
                Assert.That(model.IsTraining, Is.False);
                Assert.That(bn0.IsTraining, Is.False);
                Assert.That(output.ToArray(), Is.EqualTo(s_evalOutput).Within(1e-5f));
            });
        }
        finally
        {
            foreach (var b in batches)
            {
                b.Dispose();
            }
        }
    }

    [Test]
    public void Recalibrate_TwoBatchesHandComputed_AveragesPerBatchMeansAndUnbiasedVariances()
    {
        // Batch 1 = (1, 3): mean 2, unbiased variance 2. Batch 2 = (0, 0, 0, 6): mean 1.5, unbiased variance 27 / 3 = 9.
        // Equal weight per batch: mean (2 + 1.5) / 2 = 1.75, variance (2 + 9) / 2 = 5.5 (momentum 0.1 from the reset would give 0.33 and 1.89).
        using var bn = new BatchNorm2d(1);
        using var a = Tensor.FromArray([1f, 3f], 2, 1, 1, 1);
        using var b = Tensor.FromArray([0f, 0f, 0f, 6f], 4, 1, 1, 1);
        var count = BatchNormRecalibration.Recalibrate(bn, [a, b]);
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(2));
            Assert.That(bn.RunningMean!.Item(), Is.EqualTo(1.75f).Within(1e-6f));
            Assert.That(bn.RunningVar!.Item(), Is.EqualTo(5.5f).Within(1e-5f));
            Assert.That(bn.Momentum, Is.EqualTo(0.1));
        });
    }

    [Test]
    public void Recalibrate_CustomForward_RunsEveryBatchThroughIt()
    {
        using var bn = new BatchNorm2d(1);
        using var a = Tensor.FromArray([1f, 3f], 2, 1, 1, 1);
        var calls = 0;
        var count = BatchNormRecalibration.Recalibrate(
            bn,
            [a, a, a],
            x =>
            {
                calls++;
                using var shifted = x.Add(10f);
                return bn.Call(shifted);
            });
        Assert.Multiple(() =>
        {
            Assert.That((count, calls), Is.EqualTo((3, 3)));
            Assert.That(bn.RunningMean!.Item(), Is.EqualTo(12f).Within(1e-5f), "statistics come from the custom forward's input (x + 10)");
        });
    }

    [Test]
    public void Recalibrate_Cancelled_ThrowsAndRestoresStatisticsAndMomentum()
    {
        using var model = FixtureModel();
        Pollute(model);
        var bn0 = (BatchNorm2d)model[1];
        var meanBefore = bn0.RunningMean!.ToArray();
        var varBefore = bn0.RunningVar!.ToArray();
        using var cts = new CancellationTokenSource();
        using var batch = Batch(2, 0);
        var calls = 0;
        Assert.That(
            () => BatchNormRecalibration.Recalibrate(
                model,
                [batch, batch, batch],
                x =>
                {
                    if (++calls == 2)
                    {
                        cts.Cancel();
                    }

                    return model.Call(x);
                },
                cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(2));
            Assert.That(bn0.RunningMean!.ToArray(), Is.EqualTo(meanBefore));
            Assert.That(bn0.RunningVar!.ToArray(), Is.EqualTo(varBefore));
            Assert.That(bn0.NumBatchesTracked!.Item(), Is.EqualTo(2f), "the two polluting passes");
            Assert.That(bn0.Momentum, Is.EqualTo(0.1));
            Assert.That(model.IsTraining, Is.False);
        });
    }

    [Test]
    public void Recalibrate_EmptyBatches_ThrowsAndLeavesStatisticsAlone()
    {
        using var model = FixtureModel();
        Pollute(model);
        var bn1 = (BatchNorm2d)model[4];
        var before = bn1.RunningMean!.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(() => BatchNormRecalibration.Recalibrate(model, []), Throws.ArgumentException.With.Message.Contains("at least one batch"));
            Assert.That(bn1.RunningMean!.ToArray(), Is.EqualTo(before));
        });
    }

    [Test]
    public void Recalibrate_NoTrackedBatchNorm_RunsNothingAndReturnsZero()
    {
        using var model = new Sequential(new BatchNorm2d(1, trackRunningStats: false));
        using var a = Tensor.FromArray([1f, 3f], 2, 1, 1, 1);
        var calls = 0;
        var count = BatchNormRecalibration.Recalibrate(model, [a], x =>
        {
            calls++;
            return model.Call(x);
        });
        Assert.Multiple(() =>
        {
            Assert.That((count, calls), Is.EqualTo((0, 0)));
            Assert.That(model.IsTraining, Is.False);
        });
    }
}
