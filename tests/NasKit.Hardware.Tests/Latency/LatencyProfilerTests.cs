using NasKit.Hardware.Latency;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Tests.Latency;

public sealed class LatencyProfilerTests
{
    private static LatencyProfiler Fast(int threads = 1) => new(new LatencyProfilerOptions { WarmupRuns = 1, Repeats = 3, Threads = threads });

    [Test]
    public void Profile_SmallNetwork_ReturnsOneEntryPerUniqueSignatureAndOneLayerPerCall()
    {
        using var net = TestNetworks.ConvReluResidual();
        var profile = Fast().Profile(net, [2, 6, 6]);

        Assert.Multiple(() =>
        {
            // Calls: conv 3x3, ReLU, Residual's own addition, its 1x1 conv, ReLU again (same signature).
            Assert.That(profile.Layers.Select(l => l.Name), Is.EqualTo(new[] { "0", "1", "2", "2.body", "1" }));
            Assert.That(profile.Layers.Select(l => l.IsSelfWork), Is.EqualTo(new[] { false, false, true, false, false }));
            Assert.That(profile.Table.Count, Is.EqualTo(4));
            Assert.That(profile.Table.Entries.Keys, Is.EquivalentTo(profile.Layers.Select(l => l.Signature).Distinct()));
            Assert.That(profile.Table.Entries.Values, Has.All.GreaterThanOrEqualTo(0));
            Assert.That(profile.EndToEndMilliseconds, Is.GreaterThan(0));
            Assert.That(profile.SumOfLayersMilliseconds, Is.EqualTo(profile.Layers.Sum(l => l.Milliseconds!.Value)).Within(1e-9));
            Assert.That(profile.Table.Metadata.Threads, Is.EqualTo(1));
            Assert.That(profile.Table.Metadata.Repeats, Is.EqualTo(3));
            Assert.That(profile.Table.Metadata.ProcessorCount, Is.EqualTo(Environment.ProcessorCount));
        });
    }

    [Test]
    public void Profile_RestoresTrainingModeAndThreadCount()
    {
        using var net = TestNetworks.ConvReluResidual();
        var threads = TensorEngine.ThreadCount;
        var target = threads == 1 ? 2 : 1;
        net.Train();

        Fast(target).Profile(net, [2, 6, 6]);

        Assert.Multiple(() =>
        {
            Assert.That(net.Modules().All(m => m.IsTraining), Is.True);
            Assert.That(TensorEngine.ThreadCount, Is.EqualTo(threads));
        });
    }

    [Test]
    public void Profile_KnownEntries_AreReusedNotRemeasured()
    {
        using var net = TestNetworks.ConvReluResidual();
        var first = Fast().Profile(net, [2, 6, 6]);
        var reluKey = first.Layers[1].Signature;
        var known = new LatencyTable(first.Table.Metadata, new Dictionary<string, double> { [reluKey] = 123.0 });
        var progress = new RecordingProgress();

        var second = Fast().Profile(net, [2, 6, 6], known, progress);

        Assert.Multiple(() =>
        {
            Assert.That(second.Table.GetMilliseconds(reluKey), Is.EqualTo(123.0));
            Assert.That(second.SumOfLayersMilliseconds, Is.GreaterThanOrEqualTo(246.0), "the ReLU runs twice");

            // 1 warm-up + 3 timed rounds over the three new signatures, then as many rounds of the whole network.
            Assert.That(progress.Reports.Select(p => p.Completed), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
            Assert.That(progress.Reports, Has.All.Matches<LatencyProfilingProgress>(p => p.Total == 8));
            Assert.That(progress.Reports.Select(p => p.Phase), Is.EqualTo(Enumerable.Repeat(LatencyProfilingProgress.LayersPhase, 4).Concat(Enumerable.Repeat(LatencyProfilingProgress.EndToEndPhase, 4))));
        });
    }

    [Test]
    public void Profile_EverySignatureKnown_TimesOnlyTheWholeNetwork()
    {
        using var net = TestNetworks.ConvReluResidual();
        var first = Fast().Profile(net, [2, 6, 6]);
        var known = new LatencyTable(first.Table.Metadata, first.Table.Entries.Select(e => new KeyValuePair<string, double>(e.Key, 10.0)));
        var progress = new RecordingProgress();

        var second = Fast().Profile(net, [2, 6, 6], known, progress);

        Assert.Multiple(() =>
        {
            Assert.That(second.Table.Entries.Values, Has.All.EqualTo(10.0));
            Assert.That(second.SumOfLayersMilliseconds, Is.EqualTo(50.0), "five timed units at 10 ms each");
            Assert.That(progress.Reports.Select(p => p.Phase), Has.All.EqualTo(LatencyProfilingProgress.EndToEndPhase));
            Assert.That(progress.Reports, Has.Count.EqualTo(4));
        });
    }

    [Test]
    public void BuildTable_SeveralNetworks_OneTableWithTheUnionOfSignatures()
    {
        using var a = TestNetworks.ConvReluResidual();
        using var b = new Sequential(new Conv2d(2, 4, 3, padding: 1, bias: false, generator: new Generator(7)), new ReLU());

        var table = Fast().BuildTable([a, b], [2, 6, 6]);

        // b's conv and ReLU have the same signatures as a's first two layers (weights do not enter the key).
        Assert.That(table.Count, Is.EqualTo(4));
    }

    [Test]
    public void Profile_KnownTableWithOtherThreadCount_Throws()
    {
        using var net = TestNetworks.ConvReluResidual();
        var known = new LatencyTable(new LatencyTableMetadata("cpu", 4, "os", "fx", 4, 0, 1, DateTimeOffset.UnixEpoch), []);
        var e = Assert.Throws<ArgumentException>(() => Fast().ProfileLayers(net, [2, 6, 6], known));
        Assert.That(e!.Message, Does.Contain("4 thread(s)").And.Contain("with 1"));
    }

    [Test]
    public void Profile_CancelledToken_ThrowsOperationCanceled()
    {
        using var net = TestNetworks.ConvReluResidual();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => Fast().Profile(net, [2, 6, 6], cancellationToken: cts.Token));
    }

    [Test]
    public void MeasureEndToEnd_SeveralNetworks_ReturnsOneMedianEach()
    {
        using var a = TestNetworks.ConvReluResidual();
        using var b = new Sequential(new Conv2d(2, 3, 1, generator: new Generator(3)));
        var progress = new RecordingProgress();

        var medians = Fast().MeasureEndToEnd([a, b], [2, 6, 6], progress);

        Assert.Multiple(() =>
        {
            Assert.That(medians, Has.Count.EqualTo(2));
            Assert.That(medians, Has.All.GreaterThan(0));
            Assert.That(progress.Reports, Has.Count.EqualTo(4), "one report per round: 1 warm-up + 3 repeats");
        });
    }

    [Test]
    public void Profile_TimeProvider_DatesTheTable()
    {
        using var net = TestNetworks.ConvReluResidual();
        var clock = new FixedClock(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var profiler = new LatencyProfiler(new LatencyProfilerOptions { WarmupRuns = 0, Repeats = 1, Threads = 1 }, timeProvider: clock);
        Assert.That(profiler.ProfileLayers(net, [2, 6, 6]).Metadata.CreatedUtc, Is.EqualTo(clock.Now));
    }

    [Test]
    public void Options_InvalidValues_Throw()
    {
        var options = new LatencyProfilerOptions();
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => options.Repeats = 0);
            Assert.Throws<ArgumentOutOfRangeException>(() => options.WarmupRuns = -1);
            Assert.Throws<ArgumentOutOfRangeException>(() => options.Threads = 0);
            Assert.Throws<ArgumentOutOfRangeException>(() => options.BatchSize = 0);
        });
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class RecordingProgress : IProgress<LatencyProfilingProgress>
    {
        public List<LatencyProfilingProgress> Reports { get; } = [];

        public void Report(LatencyProfilingProgress value) => Reports.Add(value);
    }
}
