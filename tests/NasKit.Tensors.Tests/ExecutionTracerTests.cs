namespace NasKit.Tensors.Tests;

[NonParallelizable]
public sealed class ExecutionTracerTests
{
    [Test]
    public void Snapshot_BinaryAdd_RecordsInputsAndNewOutput()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.FromArray([1f, 2f, 3f], 3);
        var b = Tensor.FromArray([4f, 5f, 6f], 3);
        using var tracer = TensorEngine.StartTracing();
        var c = a.Add(b);
        var calls = tracer.Snapshot();

        Assert.That(calls, Has.Count.EqualTo(1));
        var k = calls[0];
        Assert.Multiple(() =>
        {
            Assert.That(k.Name, Is.EqualTo("Binary.Add"));
            Assert.That(k.Category, Is.EqualTo(KernelCategory.Elementwise));
            Assert.That(k.Inputs, Is.EquivalentTo(new[] { tracer.IdOf(a), tracer.IdOf(b) }));
            Assert.That(k.Output, Is.EqualTo(tracer.IdOf(c)));
            Assert.That(k.Output, Is.Not.EqualTo(tracer.IdOf(a)).And.Not.EqualTo(tracer.IdOf(b)));
            Assert.That(k.OutputShape, Is.EqualTo(new[] { 3 }));
            Assert.That(k.OtherOperations, Is.EqualTo(3));
            Assert.That(k.Macs, Is.Zero);
        });
    }

    [Test]
    public void IdOf_View_SharesValueOfBase()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Ones(2, 3);
        using var tracer = TensorEngine.StartTracing();
        var view = a.Reshape(3, 2);
        Assert.That(tracer.IdOf(view), Is.EqualTo(tracer.IdOf(a)));
    }

    [Test]
    public void Snapshot_InPlaceOperation_KeepsValueIdentity()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Ones(4);
        using var tracer = TensorEngine.StartTracing();
        var before = tracer.IdOf(a);
        a.MulInPlace(2f);
        var calls = tracer.Snapshot();
        Assert.That(calls.Single().Output, Is.EqualTo(before));
    }

    [Test]
    public void Snapshot_Convolution_CountsMacsWithBias()
    {
        using var scope = TensorScope.Begin();
        using var conv = new NasKit.Tensors.NN.Conv2d(2, 3, 3, padding: 1, generator: new Generator(1));
        var x = Tensor.Zeros(1, 2, 5, 5);
        using var tracer = TensorEngine.StartTracing();
        using (Autograd.NoGrad())
        {
            conv.Call(x);
        }

        var k = tracer.Snapshot().Single(c => c.Name == "Conv2dForward");

        // 3·3·2·3 weights at 25 outputs = 1,350, plus 3·25 bias adds.
        Assert.That(k.Macs, Is.EqualTo(1_350 + 75));
    }

    [Test]
    public void Snapshot_OtherThread_NotRecorded()
    {
        using var scope = TensorScope.Begin();
        using var tracer = TensorEngine.StartTracing();
        Task.Run(() =>
        {
            using var inner = TensorScope.Begin();
            Tensor.Ones(3).Add(Tensor.Ones(3));
        }).Wait();
        Assert.That(tracer.Count, Is.Zero);
    }

    [Test]
    public void StartTracing_WhileProfiling_Throws()
    {
        using var profiler = TensorEngine.StartProfiling();
        var e = Assert.Throws<InvalidOperationException>(() => TensorEngine.StartTracing());
        Assert.That(e!.Message, Does.Contain("profiling"));
    }

    [Test]
    public void Dispose_StopsRecording()
    {
        using var scope = TensorScope.Begin();
        var tracer = TensorEngine.StartTracing();
        tracer.Dispose();
        Tensor.Ones(2).Add(Tensor.Ones(2));
        Assert.That(tracer.Count, Is.Zero);
        using var again = TensorEngine.StartTracing();
        Assert.That(again.Count, Is.Zero);
    }
}
