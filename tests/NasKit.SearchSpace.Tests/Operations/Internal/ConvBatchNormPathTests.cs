using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Operations.Internal;

/// <summary>The inference path of the operations that fold their batch norms into a convolution (ReluConvBn, DilConv, SepConv).</summary>
public sealed class ConvBatchNormPathTests
{
    private static readonly TestCaseData[] s_operations =
    [
        new TestCaseData(new Func<Module<Tensor, Tensor>>(() => new ReluConvBn(4, 6, 3, 1, 1, generator: new Generator(1)))).SetArgDisplayNames("relu_conv_bn_3x3"),
        new TestCaseData(new Func<Module<Tensor, Tensor>>(() => new ReluConvBn(4, 6, 1, 2, 0, generator: new Generator(1)))).SetArgDisplayNames("relu_conv_bn_1x1_stride2"),
        new TestCaseData(new Func<Module<Tensor, Tensor>>(() => new DilConv(4, 6, 3, 1, 2, 2, generator: new Generator(1)))).SetArgDisplayNames("dil_conv_3x3"),
        new TestCaseData(new Func<Module<Tensor, Tensor>>(() => new SepConv(4, 6, 3, 1, 1, generator: new Generator(1)))).SetArgDisplayNames("sep_conv_3x3"),
        new TestCaseData(new Func<Module<Tensor, Tensor>>(() => new SepConv(4, 6, 5, 2, 2, affine: false, generator: new Generator(1)))).SetArgDisplayNames("sep_conv_5x5_stride2_plain"),
    ];

    [TestCaseSource(nameof(s_operations))]
    public void Forward_InferenceAfterTraining_EqualsTheUnfusedEvaluation(Func<Module<Tensor, Tensor>> create)
    {
        using var module = Trained(create());
        using var x = Tensor.Randn([2, 4, 9, 9], new Generator(7));
        var (unfused, fused) = Evaluate(module, x);
        AssertClose(fused, unfused);
    }

    [TestCaseSource(nameof(s_operations))]
    public void Forward_Inference_RunsNoBatchNormKernel(Func<Module<Tensor, Tensor>> create)
    {
        using var module = Trained(create());
        using var x = Tensor.Randn([1, 4, 8, 8], new Generator(7));
        int BatchNormCalls(bool recordGradients)
        {
            using var profiler = TensorEngine.StartProfiling();
            using (recordGradients ? default(IDisposable) : Autograd.NoGrad())
            using (var y = module.Call(x))
            {
            }

            return (int)profiler.Snapshot().Where(k => k.Kernel.StartsWith("BatchNorm", StringComparison.Ordinal)).Sum(k => k.Calls);
        }

        Assert.Multiple(() =>
        {
            Assert.That(BatchNormCalls(recordGradients: true), Is.GreaterThan(0), "the unfused path normalises");
            Assert.That(BatchNormCalls(recordGradients: false), Is.Zero, "the folded path does not");
        });
    }

    [TestCaseSource(nameof(s_operations))]
    public void Forward_InferenceWithAHookOnAConvolution_RunsTheHook(Func<Module<Tensor, Tensor>> create)
    {
        using var module = Trained(create());
        using var x = Tensor.Randn([1, 4, 8, 8], new Generator(7));
        var conv = module.Modules().OfType<Conv2d>().Last();
        var calls = 0;
        using var hook = conv.RegisterForwardHook((_, _, _) => calls++);
        var (unfused, fused) = Evaluate(module, x);
        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(2), "the hooked convolution ran in both passes");
            AssertClose(fused, unfused);
        });
    }

    [TestCaseSource(nameof(s_operations))]
    public void Forward_InferenceOnAClone_UsesTheClonesWeightsAndLeavesTheOriginalIntact(Func<Module<Tensor, Tensor>> create)
    {
        using var module = Trained(create());
        using var x = Tensor.Randn([1, 4, 8, 8], new Generator(7));
        var (_, before) = Evaluate(module, x);
        var clone = (Module<Tensor, Tensor>)module.Clone();
        using (Autograd.NoGrad())
        {
            foreach (var p in clone.Parameters())
            {
                p.MulInPlace(1.5f);
            }
        }

        var (cloneUnfused, cloneFused) = Evaluate(clone, x);
        clone.Dispose();
        var (unfused, after) = Evaluate(module, x);
        Assert.Multiple(() =>
        {
            AssertClose(cloneFused, cloneUnfused);
            AssertClose(after, unfused);
            AssertClose(after, before);
            Assert.That(cloneFused.Zip(before, (a, b) => Math.Abs(a - b)).Max(), Is.GreaterThan(1e-3f), "the clone's weights differ");
        });
    }

    /// <summary>Runs two training-mode passes so the running statistics and the weights are not at their initial values.</summary>
    private static Module<Tensor, Tensor> Trained(Module<Tensor, Tensor> module)
    {
        module.Train();
        var g = new Generator(3);
        using (Autograd.NoGrad())
        {
            foreach (var p in module.Parameters())
            {
                using var noise = Tensor.Normal(p.Shape, 0f, 0.2f, g);
                p.AddInPlace(noise);
            }
        }

        for (var i = 0; i < 2; i++)
        {
            using var input = Tensor.Normal([4, 4, 9, 9], 0.5f, 2f, g);
            using (Autograd.NoGrad())
            using (var y = module.Call(input))
            {
            }
        }

        module.Eval();
        return module;
    }

    /// <summary>Evaluates in evaluation mode with gradient recording on (the unfused path) and under NoGrad (the folded path).</summary>
    private static (float[] Unfused, float[] Fused) Evaluate(Module<Tensor, Tensor> module, Tensor x)
    {
        module.Eval();
        float[] unfused;
        using (var y = module.Call(x))
        {
            unfused = y.ToArray();
        }

        using (Autograd.NoGrad())
        using (var y = module.Call(x))
        {
            return (unfused, y.ToArray());
        }
    }

    private static void AssertClose(float[] actual, float[] expected)
    {
        var scale = Math.Max(1f, expected.Max(Math.Abs));
        Assert.That(actual.Zip(expected, (a, b) => Math.Abs(a - b)).Max(), Is.LessThanOrEqualTo(1e-5f * scale));
    }
}
