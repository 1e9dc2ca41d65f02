using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Tests;

public sealed class CostCounterTests
{
    [Test]
    public void Count_ConvolutionWithBias_MacsIncludeBiasTerm()
    {
        using var conv = new Conv2d(3, 8, 3, padding: 1, generator: new Generator(1));
        var cost = CostCounter.Count(conv, [3, 10, 10]);

        // 3·3·3·8 weights applied at 10·10 outputs = 21,600, plus one bias add per output element (8·10·10 = 800).
        Assert.Multiple(() =>
        {
            Assert.That(cost.Macs, Is.EqualTo(22_400));
            Assert.That(cost.Parameters, Is.EqualTo((8 * 27) + 8));
            Assert.That(cost.OtherOperations, Is.Zero);
        });
    }

    [Test]
    public void Count_GroupedConvolution_DividesInputChannelsByGroups()
    {
        using var conv = new Conv2d(8, 16, 3, padding: 1, groups: 4, bias: false, generator: new Generator(1));
        var cost = CostCounter.Count(conv, [8, 6, 6]);

        // k²·(C_in/groups)·C_out·H·W = 9·2·16·36.
        Assert.Multiple(() =>
        {
            Assert.That(cost.Macs, Is.EqualTo(10_368));
            Assert.That(cost.Parameters, Is.EqualTo(16 * 2 * 9));
        });
    }

    [Test]
    public void Count_DepthwiseStrideTwo_CountsOutputPlaneOnly()
    {
        using var conv = new Conv2d(8, 8, 3, stride: 2, padding: 1, groups: 8, bias: false, generator: new Generator(1));
        var cost = CostCounter.Count(conv, [8, 6, 6]);

        // Output 3×3; 9·1·8·9 = 648.
        Assert.That(cost.Macs, Is.EqualTo(648));
    }

    [TestCase(true, 1, 105)]
    [TestCase(false, 1, 100)]
    [TestCase(true, 3, 315)]
    public void Count_Linear_MacsAreInTimesOutPlusBias(bool bias, int batch, long expected)
    {
        using var linear = new Linear(20, 5, bias, new Generator(1));
        var cost = CostCounter.Count(linear, [20], new CostCountingOptions { BatchSize = batch });
        Assert.That(cost.Macs, Is.EqualTo(expected));
    }

    [Test]
    public void Count_PoolingNormActivation_ReportedAsOtherOperationsNotMacs()
    {
        using var net = new Sequential(new BatchNorm2d(8), new ReLU(), new MaxPool2d(2));
        var cost = CostCounter.Count(net, [8, 10, 10]);
        var byType = cost.Layers.ToDictionary(l => l.ModuleType);

        Assert.Multiple(() =>
        {
            Assert.That(cost.Macs, Is.Zero);
            Assert.That(byType["BatchNorm2d"].OtherOperations, Is.EqualTo(800), "one operation per normalised element");
            Assert.That(byType["BatchNorm2d"].OperationsByCategory.Keys, Is.EquivalentTo(new[] { KernelCategory.Normalization }));
            Assert.That(byType["ReLU"].OtherOperations, Is.EqualTo(800));
            Assert.That(byType["MaxPool2d"].OtherOperations, Is.EqualTo(200 * 4), "one operation per window element");
            Assert.That(cost.OtherOperations, Is.EqualTo(800 + 800 + 800));
            Assert.That(cost.Parameters, Is.EqualTo(16));
            Assert.That(cost.Buffers, Is.GreaterThanOrEqualTo(16), "running mean and variance");
        });
    }

    [Test]
    public void Count_SequentialChain_PeakIsLargestAdjacentPair()
    {
        using var net = new Sequential(
            new Conv2d(1, 4, 3, padding: 1, bias: false, generator: new Generator(1)),
            new ReLU(),
            new Conv2d(4, 2, 1, bias: false, generator: new Generator(2)));
        var cost = CostCounter.Count(net, [1, 8, 8]);

        // Activations: input 64, conv 256, relu 256, conv 128 elements. The input dies after the first conv; the largest live set
        // is conv + relu output while the ReLU runs: 512 elements · 4 bytes.
        Assert.Multiple(() =>
        {
            Assert.That(cost.PeakActivationBytes, Is.EqualTo(512 * 4));
            Assert.That(cost.ActivationBytes, Is.EqualTo((256 + 256 + 128) * 4));
            Assert.That(cost.InputBytes, Is.EqualTo(64 * 4));
        });
    }

    [Test]
    public void Count_ResidualBlock_InputStaysAliveUntilTheAddition()
    {
        using var block = new Residual(new Generator(3));
        var cost = CostCounter.Count(block, [1, 8, 8]);

        // x (64) must survive to the final add; while the ReLU runs, x + conv1 (256) + relu (256) = 576 elements are live.
        // At the add: x 64 + conv2 64 + sum 64 = 192. Peak 576 · 4 bytes.
        Assert.That(cost.PeakActivationBytes, Is.EqualTo(576 * 4));
        var withInt8 = CostCounter.Count(block, [1, 8, 8], new CostCountingOptions { BytesPerElement = 1 });
        Assert.That(withInt8.PeakActivationBytes, Is.EqualTo(576));
    }

    [Test]
    public void Count_ResidualBlock_FunctionalAddAttributedToParentModule()
    {
        using var block = new Residual(new Generator(3));
        var cost = CostCounter.Count(block, [1, 8, 8]);
        var names = cost.Layers.Select(l => l.Name).ToList();
        var root = cost.Layers.Single(l => l.Name == "(model)");

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "(model)", "conv1", "relu", "conv2" }));
            Assert.That(root.OtherOperations, Is.EqualTo(64), "the residual addition");
            Assert.That(root.Macs, Is.Zero);
            Assert.That(cost.Layers.Single(l => l.Name == "conv1").Macs, Is.EqualTo(9 * 4 * 64));
            Assert.That(cost.Layers.Single(l => l.Name == "conv2").InputShape, Is.EqualTo(new[] { 1, 4, 8, 8 }));
        });
    }

    [Test]
    public void Count_UnusedBranch_StillCounted()
    {
        using var net = new DeadBranch(new Generator(5));
        var cost = CostCounter.Count(net, [2, 4, 4]);

        // Both 1×1 convolutions run (2·2·16 MACs each) even though the second result is discarded: NAS-Bench-201's convention.
        Assert.That(cost.Macs, Is.EqualTo(2 * 2 * 2 * 16));
    }

    [Test]
    public void Count_ModelSize_FourBytesAndOneBytePerElement()
    {
        using var net = new Sequential(new Conv2d(2, 3, 1, generator: new Generator(1)), new BatchNorm2d(3));
        var cost = CostCounter.Count(net, [2, 4, 4]);
        var elements = cost.Parameters + cost.Buffers;

        Assert.Multiple(() =>
        {
            Assert.That(cost.Parameters, Is.EqualTo(6 + 3 + 3 + 3));
            Assert.That(cost.ModelBytesFloat32, Is.EqualTo(elements * 4));
            Assert.That(cost.ModelBytesInt8, Is.EqualTo(elements));
        });
    }

    [Test]
    public void Count_InputTooSmall_ThrowsArgumentExceptionNamingShape()
    {
        using var conv = new Conv2d(3, 4, 5, bias: false, generator: new Generator(1));
        var e = Assert.Throws<ArgumentException>(() => CostCounter.Count(conv, [3, 2, 2]));
        Assert.That(e!.Message, Does.Contain("[3, 2, 2]"));
    }

    [Test]
    public void Count_NonPositiveDimension_Throws()
    {
        using var conv = new Conv2d(3, 4, 1, generator: new Generator(1));
        var e = Assert.Throws<ArgumentException>(() => CostCounter.Count(conv, [3, 0, 4]));
        Assert.That(e!.Message, Does.Contain("positive"));
    }

    [Test]
    public void Count_TrainingModel_ModeRestoredAndStatisticsUnchanged()
    {
        using var net = new Sequential(new Conv2d(2, 3, 1, generator: new Generator(1)), new BatchNorm2d(3));
        var before = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        _ = CostCounter.Count(net, [2, 4, 4]);

        Assert.That(net.IsTraining, Is.True);
        foreach (var (name, value) in net.StateDict())
        {
            Assert.That(value.ToArray(), Is.EqualTo(before[name]), name);
        }
    }

    private sealed class Residual : Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv1;
        private readonly ReLU _relu = new();
        private readonly Conv2d _conv2;

        public Residual(Generator generator)
        {
            _conv1 = new Conv2d(1, 4, 3, padding: 1, bias: false, generator: generator);
            _conv2 = new Conv2d(4, 1, 1, bias: false, generator: generator);
            RegisterModule("conv1", _conv1);
            RegisterModule("relu", _relu);
            RegisterModule("conv2", _conv2);
        }

        protected override Tensor Forward(Tensor input) => _conv2.Call(_relu.Call(_conv1.Call(input))).Add(input);
    }

    private sealed class DeadBranch : Module<Tensor, Tensor>
    {
        private readonly Conv2d _used;
        private readonly Conv2d _unused;

        public DeadBranch(Generator generator)
        {
            _used = new Conv2d(2, 2, 1, bias: false, generator: generator);
            _unused = new Conv2d(2, 2, 1, bias: false, generator: generator);
            RegisterModule("used", _used);
            RegisterModule("unused", _unused);
        }

        protected override Tensor Forward(Tensor input)
        {
            _ = _unused.Call(input);
            return _used.Call(input);
        }
    }
}
