using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;

namespace NasKit.Tensors.Tests.Optim;

public sealed class SgdTests
{
    // Contiguous gradients take the fused one-pass kernel; a transposed (non-contiguous) gradient takes the tensor-operation path.
    // 5 × 37 = 185 elements: eleven 16-lane vectors and a 9-element tail.
    [TestCase(0.0, 0.0, 0.0, false, false)]
    [TestCase(0.9, 0.0, 0.0, false, false)]
    [TestCase(0.9, 0.3, 0.05, false, false)]
    [TestCase(0.9, 0.0, 5e-4, true, false)]
    [TestCase(0.5, 0.0, 0.01, false, true)]
    public void Step_FusedKernel_MatchesTensorOperationPath(double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        var options = new SgdOptions { LearningRate = 0.05, Momentum = momentum, Dampening = dampening, WeightDecay = weightDecay, Nesterov = nesterov, Maximize = maximize };
        using var fusedParameter = new Parameter(Tensor.Normal([5, 37], 0f, 1f, new Generator(1)));
        using var plainParameter = new Parameter(Tensor.Normal([5, 37], 0f, 1f, new Generator(1)));
        using var fused = new Sgd([fusedParameter], options);
        using var plain = new Sgd([plainParameter], options);

        for (var step = 0; step < 3; step++)
        {
            using var grad = Tensor.Normal([5, 37], 0f, 1f, new Generator(10 + step));
            using var transposedStorage = grad.Transpose(0, 1).Contiguous();
            fusedParameter.Grad = grad.Clone();
            plainParameter.Grad = transposedStorage.Transpose(0, 1);
            Assert.That(plainParameter.Grad.IsContiguous, Is.False, "the reference must take the tensor-operation path");
            fused.Step();
            plain.Step();
        }

        using var initial = Tensor.Normal([5, 37], 0f, 1f, new Generator(1));
        var expected = plainParameter.ToArray();
        var actual = fusedParameter.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected).Within(2e-6f));
            Assert.That(actual, Is.Not.EqualTo(initial.ToArray()), "the parameter moved");
        });
    }

    [Test]
    public void Step_FusedKernel_BumpsTheParameterVersion()
    {
        using var p = new Parameter(Tensor.Ones(4, 4));
        using var optimizer = new Sgd([p], new SgdOptions { LearningRate = 0.1, Momentum = 0.9 });
        p.Grad = Tensor.Ones(4, 4);
        var before = p.Version;
        optimizer.Step();
        Assert.Multiple(() =>
        {
            Assert.That(p.Version, Is.GreaterThan(before), "cached views of the weights (packed convolution filters) must see the change");
            Assert.That(p.ToArray(), Is.All.EqualTo(0.9f).Within(1e-6f));
        });
    }
}
