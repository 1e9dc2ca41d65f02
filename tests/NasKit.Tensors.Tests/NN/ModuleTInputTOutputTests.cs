using NasKit.Tensors.NN;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.NN;

/// <summary>Call, forward pre-hooks and forward hooks of modules (Module.TInput.TOutput.cs).</summary>
public class ModuleTInputTOutputTests
{
    [Test]
    public void RegisterForwardHook_TwoCalls_SeesInputAndOutputOfEach()
    {
        using var layer = new Linear(3, 2, generator: new Generator(1));
        using var x = TestData.Tensor(1, [4, 3]);
        var seen = new List<(Tensor Input, float[] Output)>();
        using var handle = layer.RegisterForwardHook((m, input, output) => seen.Add((input, output.ToArray())));
        using var y1 = layer.Call(x);
        using var y2 = layer.Call(x);
        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(2));
            Assert.That(seen[0].Input, Is.SameAs(x));
            Assert.That(seen[1].Output, Is.EqualTo(y2.ToArray()));
        });
    }

    [Test]
    public void RegisterForwardPreHook_ReturningANewInput_ReplacesTheInput()
    {
        using var relu = new ReLU();
        using var x = Tensor.FromArray([-1f, 2f]);
        using var handle = relu.RegisterForwardPreHook((_, input) => input.Neg());
        using var y = relu.Call(x);
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 1f, 0f }));
    }

    [Test]
    public void ForwardHooks_RemovedThroughTheirHandles_NoLongerRun()
    {
        using var relu = new ReLU();
        using var x = Tensor.FromArray([1f]);
        var calls = 0;
        var forward = relu.RegisterForwardHook((_, _, _) => calls++);
        var pre = relu.RegisterForwardPreHook((_, input) =>
        {
            calls++;
            return input;
        });
        forward.Dispose();
        pre.Dispose();
        using var y = relu.Call(x);
        Assert.That(calls, Is.Zero);
    }

    [Test]
    public void ForwardHook_RemovingItselfDuringTheCall_DoesNotBreakTheCall()
    {
        using var relu = new ReLU();
        using var x = Tensor.FromArray([1f]);
        var calls = 0;
        HookHandle? handle = null;
        handle = relu.RegisterForwardHook((_, _, _) =>
        {
            calls++;
            handle!.Dispose();
        });
        using var a = relu.Call(x);
        using var b = relu.Call(x);
        Assert.That(calls, Is.EqualTo(1));
    }
}
