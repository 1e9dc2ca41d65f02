using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;

namespace NasKit.Tensors.Tests.NN;

public sealed class ConvBatchNormFoldingTests
{
    [TestCase(3, 8, 3, 1, 1, 1, false, true)]
    [TestCase(5, 7, 1, 1, 0, 1, true, true)]
    [TestCase(4, 6, 3, 2, 1, 1, false, false)]
    [TestCase(6, 6, 3, 1, 2, 6, false, true)]
    [TestCase(4, 8, 5, 1, 2, 2, true, false)]
    public void Forward_EvaluationMode_EqualsConvolutionThenBatchNorm(int cin, int cout, int kernel, int stride, int padding, int groups, bool convBias, bool affine)
    {
        var (conv, bn) = Create(cin, cout, kernel, stride, padding, groups, convBias, affine, seed: 11);
        using var ownedConv = conv;
        using var ownedBn = bn;
        using var folding = new ConvBatchNormFolding(conv, bn);
        using var x = Tensor.Normal([2, cin, 9, 11], 0f, 1f, new Generator(3));

        var (expected, actual) = Both(folding, x);

        using (Autograd.NoGrad())
        {
            Assert.That(folding.IsApplicable, Is.True);
        }

        AssertClose(actual, expected);
    }

    // Batch, channels and strides chosen so each convolution path runs: direct (batch 1, 3x3 and 1x1), Winograd F(2x2) (16
    // channels), F(4x4) (32 channels), im2col (stride 2), depthwise (groups = channels).
    [TestCase(1, 16, 16, 3, 1, 1, 1)]
    [TestCase(1, 16, 16, 1, 1, 0, 1)]
    [TestCase(3, 16, 16, 3, 1, 1, 1)]
    [TestCase(2, 32, 32, 3, 1, 1, 1)]
    [TestCase(2, 8, 12, 3, 2, 1, 1)]
    [TestCase(2, 8, 8, 3, 1, 1, 8)]
    public void Forward_ReluInput_EqualsReluThenConvolutionThenBatchNorm(int batch, int cin, int cout, int kernel, int stride, int padding, int groups)
    {
        var (conv, bn) = Create(cin, cout, kernel, stride, padding, groups, convBias: false, affine: true, seed: 21);
        using var ownedConv = conv;
        using var ownedBn = bn;
        using var folding = new ConvBatchNormFolding(conv, bn);
        using var x = Tensor.Normal([batch, cin, 13, 11], 0f, 1f, new Generator(5));
        var values = x.ToArray();
        values[7] = float.NaN;
        values[40] = float.NegativeInfinity;
        values[^3] = float.PositiveInfinity;
        x.CopyFrom(values);

        float[] expected, actual;
        using (Autograd.NoGrad())
        {
            using var r = Functional.Relu(x);
            using var c = conv.Call(r);
            using var e = bn.Call(c);
            using var a = folding.Forward(x, reluInput: true);
            (expected, actual) = (e.ToArray(), a.ToArray());
        }

        var finite = expected.Select(v => float.IsFinite(v)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(actual.Select(float.IsNaN), Is.EqualTo(expected.Select(float.IsNaN)), "NaN reaches the same outputs");
            Assert.That(actual.Select(float.IsPositiveInfinity), Is.EqualTo(expected.Select(float.IsPositiveInfinity)), "+∞ reaches the same outputs");
            Assert.That(finite.Count(f => f), Is.GreaterThan(expected.Length / 2), "most outputs stay finite");
            AssertClose([.. actual.Where((_, i) => finite[i])], [.. expected.Where((_, i) => finite[i])]);
        });
    }

    [Test]
    public void IsApplicable_WhileTracing_IsFalse_SoTheTraceShowsTheBatchNorm()
    {
        var (conv, bn) = Create(2, 2, 3, 1, 1, 1, convBias: false, affine: true, seed: 1);
        using var ownedConv = conv;
        using var ownedBn = bn;
        using var folding = new ConvBatchNormFolding(conv, bn);
        using (Autograd.NoGrad())
        {
            Assert.That(folding.IsApplicable, Is.True);
            using var tracer = TensorEngine.StartTracing();
            Assert.Multiple(() =>
            {
                Assert.That(folding.IsApplicable, Is.False);
                Assert.That(() => folding.Forward(Tensor.Zeros(1, 2, 4, 4)), Throws.InvalidOperationException.With.Message.Contains("trace"));
            });
        }
    }

    [Test]
    public void Forward_AfterOptimizerStepAndStatisticsChange_UsesTheNewValues()
    {
        var (conv, bn) = Create(4, 5, 3, 1, 1, 1, convBias: true, affine: true, seed: 5);
        using var ownedConv = conv;
        using var ownedBn = bn;
        using var folding = new ConvBatchNormFolding(conv, bn);
        using var x = Tensor.Normal([2, 4, 6, 6], 0f, 1f, new Generator(8));
        var (before, _) = Both(folding, x);

        // A training step changes the weights and the running statistics; the cached fold must follow.
        conv.Train();
        bn.Train();
        using (var sgd = new Sgd(conv.Parameters().Concat(bn.Parameters()), new SgdOptions { LearningRate = 0.5 }))
        {
            using var y = bn.Call(conv.Call(x));
            using var loss = y.Square().Mean();
            loss.Backward();
            sgd.Step();
        }

        var (expected, actual) = Both(folding, x);
        Assert.Multiple(() =>
        {
            Assert.That(MaxAbsDifference(expected, before), Is.GreaterThan(1e-3), "the step changed the unfused result");
            AssertClose(actual, expected);
        });

        using (Autograd.NoGrad())
        {
            bn.RunningVar!.MulInPlace(4f);
            bn.Bias!.AddInPlace(1f);
        }

        var (expected2, actual2) = Both(folding, x);
        AssertClose(actual2, expected2);
    }

    [Test]
    public void Forward_StateDictLoaded_UsesTheLoadedValues()
    {
        var (conv, bn) = Create(3, 4, 3, 1, 1, 1, convBias: false, affine: true, seed: 1);
        var (conv2, bn2) = Create(3, 4, 3, 1, 1, 1, convBias: false, affine: true, seed: 2);
        using var a = conv;
        using var b = bn;
        using var c = conv2;
        using var d = bn2;
        using var folding = new ConvBatchNormFolding(conv, bn);
        using var x = Tensor.Normal([1, 3, 5, 5], 0f, 1f, new Generator(4));
        using (Autograd.NoGrad())
        using (var first = folding.Forward(x))
        {
        }

        conv.LoadStateDict(conv2.StateDict());
        bn.LoadStateDict(bn2.StateDict());
        var (expected, actual) = Both(folding, x);
        using var otherFolding = new ConvBatchNormFolding(conv2, bn2);
        var (other, _) = Both(otherFolding, x);
        Assert.Multiple(() =>
        {
            AssertClose(actual, expected);
            AssertClose(actual, other);
        });
    }

    [Test]
    public void IsApplicable_TrainingGradientsHooksOrNoRunningStatistics_IsFalseAndForwardSaysWhy()
    {
        var (conv, bn) = Create(2, 2, 3, 1, 1, 1, convBias: false, affine: true, seed: 1);
        using var ownedConv = conv;
        using var ownedBn = bn;
        using var folding = new ConvBatchNormFolding(conv, bn);
        using var x = Tensor.Normal([1, 2, 4, 4], 0f, 1f, new Generator(4));
        using var noStats = new BatchNorm2d(2, trackRunningStats: false);
        noStats.Eval();
        using var statless = new ConvBatchNormFolding(conv, noStats);

        Assert.Multiple(() =>
        {
            Assert.That(folding.IsApplicable, Is.False, "gradient recording is on");
            Assert.That(() => folding.Forward(x), Throws.InvalidOperationException.With.Message.Contains("NoGrad"));
            using (Autograd.NoGrad())
            {
                Assert.That(folding.IsApplicable, Is.True);
                Assert.That(statless.IsApplicable, Is.False);
                Assert.That(() => statless.Forward(x), Throws.InvalidOperationException.With.Message.Contains("running statistics"));
                bn.Train();
                Assert.That(folding.IsApplicable, Is.False);
                Assert.That(() => folding.Forward(x), Throws.InvalidOperationException.With.Message.Contains("evaluation mode"));
                bn.Eval();
                using (conv.RegisterForwardHook((_, _, _) => { }))
                {
                    Assert.That(folding.IsApplicable, Is.False);
                    Assert.That(() => folding.Forward(x), Throws.InvalidOperationException.With.Message.Contains("hooks"));
                }

                Assert.That(folding.IsApplicable, Is.True, "the hook was removed");
            }
        });
    }

    [Test]
    public void Constructor_ChannelCountsDiffer_Throws()
    {
        using var conv = new Conv2d(3, 4, 3);
        using var bn = new BatchNorm2d(5);
        Assert.Multiple(() =>
        {
            Assert.That(() => new ConvBatchNormFolding(conv, bn), Throws.ArgumentException.With.Message.Contains("5 channels").And.Message.Contains("outputs 4"));
            Assert.That(() => new ConvBatchNormFolding(null!, bn), Throws.ArgumentNullException);
        });
    }

    private static (Conv2d Conv, BatchNorm2d Bn) Create(int cin, int cout, int kernel, int stride, int padding, int groups, bool convBias, bool affine, int seed)
    {
        var g = new Generator(seed);
        var conv = new Conv2d(cin, cout, kernel, stride, padding, groups: groups, bias: convBias, generator: g);
        var bn = new BatchNorm2d(cout, affine: affine);
        using (var mean = Tensor.Normal([cout], 0f, 0.5f, g))
        using (var variance = Tensor.Normal([cout], 0f, 1f, g))
        using (var sq = variance.Square())
        {
            bn.RunningMean!.CopyFrom(mean);
            bn.RunningVar!.CopyFrom(sq);
            bn.RunningVar.AddInPlace(0.1f);
        }

        if (affine)
        {
            using var noGrad = Autograd.NoGrad();
            using var gamma = Tensor.Normal([cout], 1f, 0.5f, g);
            using var beta = Tensor.Normal([cout], 0f, 0.5f, g);
            bn.Weight!.CopyFrom(gamma);
            bn.Bias!.CopyFrom(beta);
        }

        conv.Eval();
        bn.Eval();
        return (conv, bn);
    }

    private static (float[] Expected, float[] Actual) Both(ConvBatchNormFolding folding, Tensor x)
    {
        folding.Convolution.Eval();
        folding.BatchNorm.Eval();
        using (Autograd.NoGrad())
        {
            using var c = folding.Convolution.Call(x);
            using var expected = folding.BatchNorm.Call(c);
            using var actual = folding.Forward(x);
            return (expected.ToArray(), actual.ToArray());
        }
    }

    private static double MaxAbsDifference(float[] a, float[] b) => a.Zip(b, (p, q) => Math.Abs((double)p - q)).Max();

    private static void AssertClose(float[] actual, float[] expected)
    {
        var scale = expected.Max(v => Math.Abs((double)v));
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        Assert.That(MaxAbsDifference(actual, expected), Is.LessThanOrEqualTo(2e-6 * Math.Max(1, scale)));
    }
}
