using NasKit.Hardware.Latency;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Tests.Latency;

public sealed class LatencyPredictorTests
{
    private static readonly LatencyTableMetadata s_metadata = new("test cpu", 2, "test os", ".NET test", 1, 0, 1, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public void Predict_FullTable_SumsEntriesPerCall()
    {
        using var conv1 = new Conv2d(2, 4, 3, padding: 1, bias: false, generator: new Generator(1));
        using var relu = new ReLU();
        using var conv2 = new Conv2d(4, 4, 1, bias: false, generator: new Generator(2));
        using var net = new Sequential(conv1, relu, conv2, relu);
        var table = new LatencyTable(s_metadata, new Dictionary<string, double>
        {
            [LayerSignature.ForLeaf(conv1, [1, 2, 5, 5])] = 1.5,
            [LayerSignature.ForLeaf(relu, [1, 4, 5, 5])] = 0.25,
            [LayerSignature.ForLeaf(conv2, [1, 4, 5, 5])] = 2.0,
            ["Unused()@1"] = 100,
        });

        var prediction = new LatencyPredictor(table).Predict(net, [2, 5, 5]);

        // conv1 + relu + conv2 + relu (the ReLU is called twice at the same shape, so counted twice); Sequential does no work itself.
        Assert.Multiple(() =>
        {
            Assert.That(prediction.IsComplete, Is.True);
            Assert.That(prediction.Milliseconds, Is.EqualTo(1.5 + 0.25 + 2.0 + 0.25).Within(1e-12));
            Assert.That(prediction.Layers.Select(l => l.Name), Is.EqualTo(new[] { "0", "1", "2", "1" }));
            Assert.That(prediction.Layers.Any(l => l.IsSelfWork), Is.False);
        });
    }

    [Test]
    public void Predict_ModuleWithOwnWork_AddsSelfWorkEntry()
    {
        using var net = TestNetworks.ConvReluResidual();
        var table = new LatencyTable(s_metadata, []);

        var prediction = new LatencyPredictor(table).Predict(net, [2, 6, 6]);
        var self = prediction.Layers.Single(l => l.IsSelfWork);

        Assert.Multiple(() =>
        {
            Assert.That(self.Name, Is.EqualTo("2"));
            Assert.That(self.Signature, Is.EqualTo("Residual:self[Binary.Add:1x4x6x6]@1x4x6x6"));
            Assert.That(prediction.Layers, Has.Count.EqualTo(5));
        });
    }

    [Test]
    public void Predict_MissingSignatures_ReportsThemWithoutGuessing()
    {
        using var conv = new Conv2d(2, 4, 3, padding: 1, bias: false, generator: new Generator(1));
        using var relu = new ReLU();
        using var net = new Sequential(conv, relu);
        var convKey = LayerSignature.ForLeaf(conv, [1, 2, 5, 5]);
        var reluKey = LayerSignature.ForLeaf(relu, [1, 4, 5, 5]);
        var table = new LatencyTable(s_metadata, new Dictionary<string, double> { [convKey] = 1.5 });

        var prediction = new LatencyPredictor(table).Predict(net, [2, 5, 5]);

        Assert.Multiple(() =>
        {
            Assert.That(prediction.IsComplete, Is.False);
            Assert.That(prediction.Milliseconds, Is.Null);
            Assert.That(prediction.KnownMilliseconds, Is.EqualTo(1.5));
            Assert.That(prediction.MissingSignatures, Is.EqualTo(new[] { reluKey }));
            var e = Assert.Throws<KeyNotFoundException>(() => prediction.GetMilliseconds());
            Assert.That(e!.Message, Does.Contain("1 signature(s)").And.Contain(reluKey));
        });
    }

    [Test]
    public void Predict_WithProfilerForMissing_MeasuresAndKeepsThem()
    {
        using var net = TestNetworks.ConvReluResidual();
        var profiler = new LatencyProfiler(new LatencyProfilerOptions { WarmupRuns = 0, Repeats = 1, Threads = 1 });
        var table = new LatencyTable(s_metadata, []);
        var predictor = new LatencyPredictor(table, profiler);

        var prediction = predictor.Predict(net, [2, 6, 6]);

        // Unique units: conv 3x3, ReLU, Residual's addition, conv 1x1 (the ReLU repeats at the same shape).
        Assert.Multiple(() =>
        {
            Assert.That(prediction.IsComplete, Is.True);
            Assert.That(predictor.Table.Count, Is.EqualTo(4));
            Assert.That(prediction.Milliseconds, Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public void Predict_InputTooSmall_ThrowsWithShape()
    {
        using var net = new Sequential(new Conv2d(2, 4, 5, bias: false, generator: new Generator(1)));
        var e = Assert.Throws<ArgumentException>(() => new LatencyPredictor(new LatencyTable(s_metadata, [])).Predict(net, [2, 3, 3]));
        Assert.That(e!.Message, Does.Contain("[2, 3, 3]"));
    }
}
