using NasKit.SearchSpace.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Tests.Nb201;

public sealed class Nb201NetworkTests
{
    private const string WorkedExample = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private const string Index0Cell = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
    private const string AllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    private const string AllConv3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";

    private static readonly Nb201SearchSpace s_space = new();

    private static readonly Nb201NetworkOptions s_small = new() { Channels = 4, CellsPerStage = 1, InputSize = 8, Classes = 3 };

    [Test]
    public void Ctor_WorkedExampleCifar10_1073466ParametersAndForwardShape()
    {
        // ALGORITHMS.md §5(d): NAS-Bench-201 reports 1.073466 MB (= 1,073,466 parameters) for this cell on CIFAR-10.
        using var scope = TensorScope.Begin();
        using var network = new Nb201Network(s_space.Parse(WorkedExample), Nb201NetworkOptions.Cifar10, new Generator(1));
        var y = network.Call(Tensor.Randn([2, 3, 32, 32], new Generator(2)));
        Assert.Multiple(() =>
        {
            Assert.That(network.Parameters().Sum(p => (long)p.NumberOfElements), Is.EqualTo(1_073_466L));
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 10 }));
            Assert.That(y.ToArray().All(float.IsFinite), Is.True);
        });
    }

    // Parameter counts (params_c10 / params_c100 / params_in16, in millions) from the NAS-Bench-201 table
    // /work/shared/benchmarks/nb201/nb201_all.csv (rows 0, 1462, 1651, 6111 of the benchmark API order).
    [TestCase(Index0Cell, 129_306, 135_156, 136_456)]
    [TestCase(AllConv3, 1_531_546, 1_537_396, 1_538_696)]
    [TestCase(AllNone, 73_306, 79_156, 80_456)]
    [TestCase(WorkedExample, 1_073_466, 1_079_316, 1_080_616)]
    public void Ctor_BenchmarkDatasets_ParameterCountsMatchTable(string text, long cifar10, long cifar100, long imageNet16)
    {
        var cell = s_space.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(Count(cell, Nb201NetworkOptions.Cifar10), Is.EqualTo(cifar10), "CIFAR-10");
            Assert.That(Count(cell, Nb201NetworkOptions.Cifar100), Is.EqualTo(cifar100), "CIFAR-100");
            Assert.That(Count(cell, Nb201NetworkOptions.ImageNet16_120), Is.EqualTo(imageNet16), "ImageNet16-120");
        });
    }

    [Test]
    public void Ctor_ImageNet16Preset_ForwardGives120Logits()
    {
        using var scope = TensorScope.Begin();
        using var network = new Nb201Network(s_space.Parse(Index0Cell), Nb201NetworkOptions.ImageNet16_120 with { CellsPerStage = 1 }, new Generator(3));
        var y = network.Call(Tensor.Randn([1, 3, 16, 16], new Generator(4)));
        Assert.That(y.Shape, Is.EqualTo(new[] { 1, 120 }));
    }

    [Test]
    public void StateDict_DefaultSkeleton_ReadableDeterministicNames()
    {
        using var network = new Nb201Network(s_space.Parse(WorkedExample));
        var names = network.NamedParameters().Select(p => p.Key).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names[0], Is.EqualTo("stem.conv.weight"));
            Assert.That(names, Does.Contain("stem.bn.weight"));
            Assert.That(names, Does.Contain("cells.0.edges.1<-0.conv.weight"));
            Assert.That(names, Does.Contain("cells.14.edges.3<-2.bn.bias"));
            Assert.That(names, Does.Contain("cells.5.conv_a.conv.weight"));
            Assert.That(names, Does.Contain("cells.11.shortcut.conv.weight"));
            Assert.That(names, Does.Contain("cells.16.edges.2<-1.conv.weight"));
            Assert.That(names, Does.Not.Contain("cells.17.edges.2<-1.conv.weight"));
            Assert.That(names, Does.Contain("head.bn.weight"));
            Assert.That(names[^1], Is.EqualTo("classifier.bias"));
        });
    }

    [Test]
    public void Ctor_SameSeed_SameWeightsOtherSeedDifferent()
    {
        var cell = s_space.Parse(WorkedExample);
        using var a = new Nb201Network(cell, s_small, new Generator(5));
        using var b = new Nb201Network(cell, s_small, new Generator(5));
        using var c = new Nb201Network(cell, s_small, new Generator(6));
        var wa = a.Parameters().SelectMany(p => p.ToArray()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(b.Parameters().SelectMany(p => p.ToArray()).ToArray(), Is.EqualTo(wa));
            Assert.That(c.Parameters().SelectMany(p => p.ToArray()).ToArray(), Is.Not.EqualTo(wa));
        });
    }

    [Test]
    public void Forward_ZeroOutputCell_StillRunsDeadEdgesAndStemGetsZeroGradient()
    {
        // The only path goes through a none edge, so every cell outputs zeros; the dead conv edges still execute (as the benchmark's
        // InferCell does) and receive gradients (zero ones, through x·0).
        using var scope = TensorScope.Begin();
        var cell = s_space.Parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|none~2|");
        using var network = new Nb201Network(cell, s_small, new Generator(7));
        var y = network.Call(Tensor.Randn([2, 3, 8, 8], new Generator(8)));
        y.Square().Sum().Backward();
        var edgeGrad = network.NamedParameters().Single(p => p.Key == "cells.0.edges.1<-0.conv.weight").Value.Grad;
        var logits = y.ToArray();
        var bias = network.NamedParameters().Single(p => p.Key == "classifier.bias").Value.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(edgeGrad, Is.Not.Null);
            Assert.That(edgeGrad!.ToArray(), Is.All.EqualTo(0f));
            // After the last stage's cells the features are zero, so head BN gives its shift (0) and the logits equal the bias.
            Assert.That(logits[..3], Is.EqualTo(bias).Within(1e-6f));
        });
    }

    [Test]
    public void Forward_WrongInputChannels_ThrowsWithShape()
    {
        using var scope = TensorScope.Begin();
        using var network = new Nb201Network(s_space.Parse(WorkedExample), s_small);
        var e = Assert.Throws<ArgumentException>(() => network.Call(Tensor.Zeros([1, 1, 8, 8])));
        Assert.That(e!.Message, Does.Contain("[batch, 3, H, W]").And.Contain("[1, 1, 8, 8]"));
    }

    [Test]
    public void InferCell_SkipAndNoneOnly_OutputIsTwiceInput()
    {
        // n1 = x; n2 = 0·x + n1 = x; n3 = x + 0·n1 + n2 = 2x.
        using var scope = TensorScope.Begin();
        using var cell = new Nb201InferCell(s_space.Parse("|skip_connect~0|+|none~0|skip_connect~1|+|skip_connect~0|none~1|skip_connect~2|"), 2);
        var x = Tensor.Randn([1, 2, 3, 3], new Generator(9));
        var y = cell.Call(x);
        Assert.That(y.ToArray(), Is.EqualTo(x.ToArray().Select(v => 2 * v).ToArray()).Within(1e-6f));
    }

    [Test]
    public void InferCell_AvgPool_PaddingNotCounted()
    {
        // With count_include_pad=False a 3x3 average over a constant input stays constant at the borders (with padding counted,
        // the corners would be 4/9).
        using var scope = TensorScope.Begin();
        using var cell = new Nb201InferCell(s_space.Parse("|none~0|+|none~0|none~1|+|avg_pool_3x3~0|none~1|none~2|"), 1);
        var y = cell.Call(Tensor.Ones([1, 1, 3, 3]));
        Assert.That(y.ToArray(), Is.All.EqualTo(1f).Within(1e-6f));
    }

    [Test]
    public void ResidualBlock_Forward_HalvesResolutionAndSetsChannels()
    {
        using var scope = TensorScope.Begin();
        using var block = new Nb201ResidualBlock(2, 4, new Generator(10));
        var y = block.Call(Tensor.Randn([1, 2, 8, 8], new Generator(11)));
        Assert.Multiple(() =>
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 1, 4, 4, 4 }));
            // conv_a 2*4*9 + BN 8, conv_b 4*4*9 + BN 8, shortcut 2*4.
            Assert.That(block.ParameterCount(), Is.EqualTo(72 + 8 + 144 + 8 + 8));
        });
    }

    private static long Count(Nb201Cell cell, Nb201NetworkOptions options)
    {
        using var network = new Nb201Network(cell, options);
        return network.Parameters().Sum(p => (long)p.NumberOfElements);
    }
}
