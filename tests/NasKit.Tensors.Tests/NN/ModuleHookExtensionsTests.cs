using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Backward hooks on modules (ModuleHookExtensions.cs).</summary>
public class ModuleHookExtensionsTests
{
    [Test]
    public void RegisterBackwardHook_Backward_ReceivesTheGradientOfTheModuleOutput()
    {
        using var layer = new Linear(3, 2, generator: new Generator(1));
        using var x = TestData.Tensor(1, [4, 3]);
        using var upstream = TestData.Tensor(2, [4, 2]);
        Module? seenModule = null;
        float[]? seenGrad = null;
        using var handle = layer.RegisterBackwardHook((m, g) =>
        {
            seenModule = m;
            seenGrad = g.ToArray();
        });
        using var y = layer.Call(x);
        using var loss = y.Mul(upstream).Sum(); // dLoss/dy = upstream
        loss.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(seenModule, Is.SameAs(layer));
            Assert.That(seenGrad, Is.EqualTo(upstream.ToArray()));
        });
    }

    [Test]
    public void RegisterBackwardHook_TwoCallsThenRemoval_RunsOncePerCallUntilRemoved()
    {
        using var relu = new ReLU();
        using var x = TestData.Tensor(4, [5], requiresGrad: true);
        var calls = 0;
        var handle = relu.RegisterBackwardHook((_, _) => calls++);
        using (var a = relu.Call(x))
        using (var b = relu.Call(x))
        using (var loss = a.Add(b).Sum())
        {
            loss.Backward();
        }

        Assert.That(calls, Is.EqualTo(2));
        using var before = relu.Call(x); // recorded while the hook is still registered
        handle.Dispose();
        using var after = relu.Call(x);
        using (var loss = before.Add(after).Sum())
        {
            loss.Backward();
        }

        Assert.Multiple(() =>
        {
            Assert.That(handle.IsRemoved, Is.True);
            Assert.That(calls, Is.EqualTo(2), "a removed hook no longer runs, even for outputs recorded before removal");
        });
    }

    [Test]
    public void RegisterBackwardHook_OutputWithoutGrad_DoesNotRun()
    {
        using var relu = new ReLU();
        using var x = TestData.Tensor(5, [3]);
        var calls = 0;
        using var handle = relu.RegisterBackwardHook((_, _) => calls++);
        using (Autograd.NoGrad())
        {
            using var y = relu.Call(x);
        }

        Assert.That(calls, Is.Zero);
    }
}
