using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

public sealed class SequentialTests
{
    // Shapes whose planes cover the 16-wide and 8-wide vector bodies and the scalar tails of the fused kernels.
    private static readonly int[][] Shapes = [[4, 3, 5, 5], [2, 2, 4, 4], [3, 4, 1, 7], [2, 3, 6, 6], [8, 2, 9, 9], [1, 2, 3, 1]];

    [Test]
    public void Forward_BatchNormThenReluWhileTraining_MatchesTheUnfusedPairInOutputGradientsAndRunningStatistics(
        [ValueSource(nameof(Shapes))] int[] shape, [Values] bool affine)
    {
        var (fused, reference) = Pair(shape[1], affine, training: true);
        AssertFusedMatchesUnfused(fused, reference, shape, seed: 11, () =>
        {
            TensorAssert.Close(Bn(fused).RunningMean!.ToArray(), Bn(reference).RunningMean!.ToArray(), rtol: 0, atol: 0, context: "running mean");
            TensorAssert.Close(Bn(fused).RunningVar!.ToArray(), Bn(reference).RunningVar!.ToArray(), rtol: 0, atol: 0, context: "running var");
        });
    }

    [Test]
    public void Forward_BatchNormThenReluInEvaluationWithGradients_MatchesTheUnfusedPair([ValueSource(nameof(Shapes))] int[] shape)
    {
        var (fused, reference) = Pair(shape[1], affine: true, training: false);
        AssertFusedMatchesUnfused(fused, reference, shape, seed: 12);
    }

    [Test]
    public void Forward_NonFiniteValuesThroughBatchNormThenRelu_MatchTheUnfusedPair()
    {
        // Channel 0 gets a NaN (its statistics and outputs become NaN), channel 1 a +∞, channel 2 stays finite.
        var shape = new[] { 2, 3, 4, 4 };
        var values = TestData.Uniform(13, TestData.Numel(shape));
        values[3] = float.NaN;
        values[16 + 5] = float.PositiveInfinity;
        var (fused, reference) = Pair(3, affine: true, training: true);
        var (yFused, gradsFused) = RunFused(fused, shape, seed: 0, values);
        var (yRef, gradsRef) = RunUnfused(reference, shape, seed: 0, values);

        Assert.Multiple(() =>
        {
            TensorAssert.Close(yFused, yRef, rtol: 0, atol: 0, context: "output");
            TensorAssert.Close(gradsFused[0], gradsRef[0], rtol: 1e-4, atol: 1e-5, context: "input gradient");
            Assert.That(yFused.Take(16).All(float.IsNaN), Is.True, "the NaN channel stays NaN");
        });
    }

    [Test]
    public void Forward_BatchNormThenRelu_RunsOneFusedKernelEachWayAndNoReluKernel()
    {
        var (fused, _) = Pair(4, affine: true, training: true);
        using var x = TestData.Tensor(14, [2, 4, 3, 3], requiresGrad: true);
        IReadOnlyList<KernelTiming> kernels;
        using (var profiler = TensorEngine.StartProfiling())
        {
            using var y = fused.Call(x);
            using var loss = y.Sum();
            loss.Backward();
            kernels = profiler.Snapshot();
        }

        var names = kernels.Select(k => k.Kernel).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(names, Does.Contain("BatchNormReluTrainForward"));
            Assert.That(names, Does.Contain("BatchNormReluBackward"));
            Assert.That(names, Has.None.StartsWith("Unary.Relu").And.None.StartsWith("UnaryBackward.Relu"));
            Assert.That(names, Has.None.EqualTo("BatchNormTrainForward"));
        });
    }

    [Test]
    public void Forward_HookOnTheRelu_RunsTheLayersSeparatelySoTheHookSeesBatchNormsOutput()
    {
        var (fused, reference) = Pair(3, affine: true, training: true);
        Tensor? seenInput = null;
        using var handle = ((Module<Tensor, Tensor>)fused[1]).RegisterForwardHook((_, input, _) => seenInput = input);
        using var x = TestData.Tensor(15, [2, 3, 4, 4]);
        using var y = fused.Call(x);
        using var expectedBn = reference[0].Call(x);

        Assert.That(seenInput, Is.Not.Null, "the ReLU's hook ran");
        Assert.Multiple(() =>
        {
            TensorAssert.Close(seenInput!.ToArray(), expectedBn.ToArray(), rtol: 0, atol: 0, context: "the hook saw batch norm's output");
            Assert.That(y.ToArray().All(v => v >= 0f), Is.True, "the ReLU still ran");
        });
    }

    [Test]
    public void Backward_FusedOutputModifiedInPlace_ThrowsInsteadOfUsingTheChangedMask()
    {
        var (fused, _) = Pair(2, affine: true, training: true);
        using var x = TestData.Tensor(16, [2, 2, 3, 3], requiresGrad: true);
        using var y = fused.Call(x);
        using (Autograd.NoGrad())
        {
            y.MulInPlace(-1f);
        }

        using var loss = y.Sum();
        Assert.That(() => loss.Backward(), Throws.InvalidOperationException);
    }

    // Outputs bit for bit; gradients up to the summation order of the fused backward pass.
    private static void AssertFusedMatchesUnfused(Sequential fused, Sequential reference, int[] shape, int seed, Action? more = null)
    {
        var (yFused, gradsFused) = RunFused(fused, shape, seed);
        var (yRef, gradsRef) = RunUnfused(reference, shape, seed);
        Assert.Multiple(() =>
        {
            TensorAssert.Close(yFused, yRef, rtol: 0, atol: 0, context: "output");
            for (var i = 0; i < gradsRef.Length; i++)
            {
                TensorAssert.Close(gradsFused[i], gradsRef[i], rtol: 1e-4, atol: 1e-5, context: $"gradient {i}");
            }

            more?.Invoke();
        });
    }

    private static BatchNorm Bn(Sequential s) => (BatchNorm)s[0];

    private static (Sequential Fused, Sequential Reference) Pair(int channels, bool affine, bool training)
    {
        var fused = new Sequential(new BatchNorm2d(channels, affine: affine), new ReLU());
        if (affine)
        {
            using (Autograd.NoGrad())
            {
                // Non-trivial affine parameters, some scales negative, so the ReLU mask is not the sign of x − μ.
                Bn(fused).Weight!.CopyFrom(TestData.Tensor(21, [channels], -1.5f, 1.5f));
                Bn(fused).Bias!.CopyFrom(TestData.Tensor(22, [channels], -0.5f, 0.5f));
            }
        }

        if (!training)
        {
            // Evaluation uses running statistics: give them values other than the initial ones.
            using (Autograd.NoGrad())
            {
                Bn(fused).RunningMean!.CopyFrom(TestData.Tensor(23, [channels], -0.3f, 0.3f));
                Bn(fused).RunningVar!.CopyFrom(TestData.Tensor(24, [channels], 0.5f, 2f));
            }
        }

        fused.Train(training);
        var reference = (Sequential)fused.Clone();
        reference.Train(training);
        return (fused, reference);
    }

    private static (float[] Output, float[][] Gradients) RunFused(Sequential s, int[] shape, int seed, float[]? values = null)
    {
        using var x = values is null ? TestData.Tensor(seed, shape, -2f, 2f, requiresGrad: true) : TestData.Create(values, shape);
        x.RequiresGrad = true;
        using var y = s.Call(x);
        return Backward(s, x, y, shape, seed);
    }

    private static (float[] Output, float[][] Gradients) RunUnfused(Sequential s, int[] shape, int seed, float[]? values = null)
    {
        using var x = values is null ? TestData.Tensor(seed, shape, -2f, 2f, requiresGrad: true) : TestData.Create(values, shape);
        x.RequiresGrad = true;
        using var normalized = s[0].Call(x);
        using var y = s[1].Call(normalized);
        return Backward(s, x, y, shape, seed);
    }

    private static (float[] Output, float[][] Gradients) Backward(Sequential s, Tensor x, Tensor y, int[] shape, int seed)
    {
        // A weighted sum, so that the incoming gradient differs per element.
        using var weights = TestData.Tensor(seed + 100, shape);
        using var product = y * weights;
        using var loss = product.Sum();
        loss.Backward();
        var grads = new List<float[]> { x.Grad!.ToArray() };
        if (Bn(s).Weight is { } w)
        {
            grads.Add(w.Grad!.ToArray());
            grads.Add(Bn(s).Bias!.Grad!.ToArray());
        }

        return (y.ToArray(), grads.ToArray());
    }
}
