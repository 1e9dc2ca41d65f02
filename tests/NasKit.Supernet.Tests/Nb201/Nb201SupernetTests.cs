using NasKit.SearchSpace.Nb201;
using NasKit.Supernet.Mixing;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Tests.Nb201;

public sealed class Nb201SupernetTests
{
    private static readonly Nb201NetworkOptions s_tiny = new() { Channels = 4, CellsPerStage = 1, InputChannels = 1, InputSize = 8, Classes = 3 };

    private static Tensor Input(int seed) => Tensor.Randn([2, 1, 8, 8], new Generator(seed));

    private static void SetAlpha(Nb201Supernet net, float[] values)
    {
        using (Autograd.NoGrad())
        {
            net.Alpha.CopyFrom(values);
        }
    }

    [Test]
    public void Forward_Batch_GivesLogitsShape()
    {
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(1));
        using var x = Input(2);
        using var y = net.Call(x);
        Assert.Multiple(() =>
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(net.Alpha.Shape, Is.EqualTo(new[] { 6, 5 }));
            Assert.That(net.SearchCells.Count(), Is.EqualTo(3));
        });
    }

    [Test]
    public void Backward_Softmax_GradientsReachAlphaAndWeights()
    {
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(1));
        using var x = Input(2);
        using var y = net.Call(x);
        using var loss = y.Square().Mean();
        loss.Backward();
        var alphaGrad = net.Alpha.Grad!.ToArray();
        var convGrad = net.SearchCells.First().GetEdge(0).Operations[(int)Nb201Operation.NorConv3x3].Parameters().Single().Grad;
        Assert.Multiple(() =>
        {
            Assert.That(alphaGrad, Has.Length.EqualTo(30));
            Assert.That(alphaGrad.Max(Math.Abs), Is.GreaterThan(0f));
            Assert.That(convGrad, Is.Not.Null);
            Assert.That(convGrad!.ToArray().Max(Math.Abs), Is.GreaterThan(0f));
        });
    }

    [Test]
    public void Parameters_ArchitectureAndWeights_AreDisjointAndComplete()
    {
        using var net = new Nb201Supernet(s_tiny);
        var arch = net.ArchitectureParameters().ToList();
        var weights = net.WeightParameters().ToList();
        var searchBnParams = net.NamedParameters().Count(kv => kv.Key.Contains("edges", StringComparison.Ordinal) && kv.Key.Contains(".bn.", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(arch, Has.Count.EqualTo(1));
            Assert.That(arch[0], Is.SameAs(net.Alpha));
            Assert.That(weights, Does.Not.Contain(net.Alpha));
            Assert.That(weights.Count + 1, Is.EqualTo(net.Parameters().Count()));
            Assert.That(searchBnParams, Is.EqualTo(0), "search cells use batch norm without affine parameters");
            Assert.That(net.StateDict().Keys, Does.Contain("arch_alpha"));
        });
    }

    [Test]
    public void Forward_SparsemaxOneHotAlpha_RunsOnlyChosenOperations()
    {
        // Row e favours op (e % 4) + 1 by 3 logits: sparsemax((0, 0, 2, 0, 0)) at T = 1.5 is one-hot, so one op per edge runs.
        var alpha = new float[30];
        for (var e = 0; e < 6; e++)
        {
            alpha[(e * 5) + (e % 4) + 1] = 3f;
        }

        using var net = new Nb201Supernet(s_tiny, new SparsemaxMixing(1.5), generator: new Generator(1));
        SetAlpha(net, alpha);
        var calls = new int[6, 5];
        foreach (var cell in net.SearchCells)
        {
            for (var e = 0; e < 6; e++)
            {
                for (var o = 0; o < 5; o++)
                {
                    var (edge, op) = (e, o);
                    cell.GetEdge(e).Operations[o].RegisterForwardHook((_, _, _) => calls[edge, op]++);
                }
            }
        }

        using var x = Input(3);
        using var y = net.Call(x);
        using var loss = y.Square().Mean();
        loss.Backward();
        var skippedConv = net.SearchCells.First().GetEdge(0).Operations[(int)Nb201Operation.NorConv3x3].Parameters().Single();
        var chosenConv = net.SearchCells.First().GetEdge(1).Operations[(int)Nb201Operation.NorConv1x1].Parameters().Single();
        Assert.Multiple(() =>
        {
            for (var e = 0; e < 6; e++)
            {
                for (var o = 0; o < 5; o++)
                {
                    Assert.That(calls[e, o], Is.EqualTo(o == (e % 4) + 1 ? 3 : 0), $"edge {e}, op {o}");
                }
            }

            Assert.That(skippedConv.Grad, Is.Null, "a skipped convolution must get no gradient (backward not computed)");
            Assert.That(chosenConv.Grad, Is.Not.Null);
            Assert.That(net.Alpha.Grad, Is.Not.Null);
        });
    }

    [Test]
    public void Forward_SparsemaxTwoOpSupport_RunsExactlyTheSupport()
    {
        // Every row is (0, 0, 0.3, 0.2, -1); z = row / 1.5 = (0, 0, 0.2, 0.1333, -0.6667). Hand-computed with the sort/threshold
        // formula: k* = 4, tau = (0.3333 - 1) / 4 = -0.1667, p = (0.166667, 0.166667, 0.366667, 0.3, 0): avg_pool is exactly 0.
        var alpha = new float[30];
        for (var e = 0; e < 6; e++)
        {
            alpha[(e * 5) + 2] = 0.3f;
            alpha[(e * 5) + 3] = 0.2f;
            alpha[(e * 5) + 4] = -1f;
        }

        using var net = new Nb201Supernet(s_tiny, new SparsemaxMixing(1.5), generator: new Generator(1));
        SetAlpha(net, alpha);
        var calls = new int[5];
        foreach (var cell in net.SearchCells)
        {
            for (var e = 0; e < 6; e++)
            {
                for (var o = 0; o < 5; o++)
                {
                    var op = o;
                    cell.GetEdge(e).Operations[o].RegisterForwardHook((_, _, _) => calls[op]++);
                }
            }
        }

        using var x = Input(3);
        using var y = net.Call(x);
        Assert.Multiple(() =>
        {
            // none never runs (its term is identically zero); avg_pool has weight exactly 0; the other three run on 6 edges x 3 cells.
            Assert.That(calls, Is.EqualTo(new[] { 0, 18, 18, 18, 0 }));
            Assert.That(net.LastWeights![0], Is.EqualTo(new[] { 0.166667f, 0.166667f, 0.366667f, 0.3f, 0f }).Within(1e-5f));
            Assert.That(net.LastWeights![5][4], Is.EqualTo(0f));
        });
    }

    [Test]
    public void DeriveCell_HandSetAlpha_TakesPerEdgeArgmaxIncludingNone()
    {
        float[] alpha =
        [
            0.9f, 0.1f, 0.2f, 0.3f, 0.4f, // 1<-0: none wins
            0f, 0f, 0f, 1f, 0f, // 2<-0: nor_conv_3x3
            0f, 2f, 0f, 0f, 0f, // 2<-1: skip_connect
            -1f, -1f, -0.5f, -1f, -1f, // 3<-0: nor_conv_1x1
            0f, 0f, 0f, 0f, 0.01f, // 3<-1: avg_pool_3x3
            0.5f, 0.5f, 0f, 0f, 0f, // 3<-2: tie -> lower index (none)
        ];
        using var net = new Nb201Supernet(s_tiny);
        SetAlpha(net, alpha);
        Assert.That(net.DeriveCell().ToString(), Is.EqualTo("|none~0|+|nor_conv_3x3~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|none~2|"));
    }

    [Test]
    public void Constructor_SameSeed_SameAlphaAndOutputs()
    {
        using var a = new Nb201Supernet(s_tiny, new GumbelSoftmaxMixing(new Generator(4)), generator: new Generator(7));
        using var b = new Nb201Supernet(s_tiny, new GumbelSoftmaxMixing(new Generator(4)), generator: new Generator(7));
        using var c = new Nb201Supernet(s_tiny, generator: new Generator(8));
        using var x = Input(5);
        using var ya1 = a.Call(x);
        using var ya2 = a.Call(x);
        using var yb1 = b.Call(x);
        using var yb2 = b.Call(x);
        var alphaA = a.Alpha.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(b.Alpha.ToArray(), Is.EqualTo(alphaA));
            Assert.That(c.Alpha.ToArray(), Is.Not.EqualTo(alphaA));
            Assert.That(alphaA.Max(Math.Abs), Is.LessThan(5e-3f).And.GreaterThan(0f), "alpha ~ 1e-3 N(0, 1)");
            Assert.That(yb1.ToArray(), Is.EqualTo(ya1.ToArray()));
            Assert.That(yb2.ToArray(), Is.EqualTo(ya2.ToArray()));
        });
    }

    [Test]
    public void MixingRule_SwitchedToSinglePath_EachEdgeHasOneActiveOperation()
    {
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(1));
        using var x = Input(6);
        using (var first = net.Call(x))
        {
            Assert.That(net.LastWeights!.All(row => row.All(v => v > 0f)), Is.True, "softmax keeps every op");
        }

        net.MixingRule = new UniformSinglePathMixing(new Generator(2));
        using var y = net.Call(x);
        Assert.Multiple(() =>
        {
            Assert.That(net.LastWeights!.Select(row => row.Count(v => v != 0f)), Is.All.EqualTo(1));
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3 }));
        });
    }

    [Test]
    public void Clone_Supernet_CopiesAlphaAndWeightsIndependently()
    {
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(1));
        using var copy = (Nb201Supernet)net.Clone();
        using var x = Input(4);
        using var y = net.Call(x);
        using var yCopy = copy.Call(x);
        using (Autograd.NoGrad())
        {
            copy.Alpha.AddInPlace(1f);
        }

        Assert.Multiple(() =>
        {
            Assert.That(yCopy.ToArray(), Is.EqualTo(y.ToArray()).Within(1e-6f));
            Assert.That(copy.Alpha, Is.Not.SameAs(net.Alpha));
            Assert.That(copy.ArchitectureParameters().Single(), Is.SameAs(copy.Alpha));
            Assert.That(net.Alpha.ToArray().Max(Math.Abs), Is.LessThan(0.5f), "changing the copy's alpha must leave the original's alone");
        });
    }

    [Test]
    public void Forward_WrongInputChannels_Throws()
    {
        using var net = new Nb201Supernet(s_tiny);
        using var x = Tensor.Zeros(2, 3, 8, 8);
        Assert.That(() => net.Call(x), Throws.ArgumentException.With.Message.Contains("[2, 3, 8, 8]"));
    }

    private static readonly string[] s_paths =
    [
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
        "|nor_conv_1x1~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|skip_connect~2|",
        "|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|",
    ];

    private static Nb201Cell Cell(string text) => new Nb201SearchSpace().Parse(text);

    [TestCaseSource(nameof(s_paths))]
    public void ForwardPath_Cell_RunsOnlyTheChosenOperations(string text)
    {
        var cell = Cell(text);
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(1));
        var calls = new int[6, 5];
        foreach (var searchCell in net.SearchCells)
        {
            for (var e = 0; e < 6; e++)
            {
                for (var o = 0; o < 5; o++)
                {
                    var (edge, op) = (e, o);
                    searchCell.GetEdge(e).Operations[o].RegisterForwardHook((_, _, _) => calls[edge, op]++);
                }
            }
        }

        using var x = Input(3);
        using var y = net.ForwardPath(x, cell);
        using var loss = y.Square().Mean();
        loss.Backward();
        Assert.Multiple(() =>
        {
            for (var e = 0; e < 6; e++)
            {
                for (var o = 0; o < 5; o++)
                {
                    // Three searched cells; a none edge runs its zero operation (and nothing else) to get a zero of the right shape.
                    Assert.That(calls[e, o], Is.EqualTo(o == (int)cell.Operations[e] ? 3 : 0), $"edge {e}, op {o}");
                }
            }

            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(net.Alpha.Grad, Is.Null, "a fixed path does not use alpha");
            Assert.That(net.LastWeights!.Select(row => row.ToArray()), Is.EqualTo(cell.Operations.Select(op => Enumerable.Range(0, 5).Select(o => o == (int)op ? 1f : 0f).ToArray())));
        });
    }

    [Test]
    public void ForwardPath_Backward_TrainsOnlyTheChosenConvolutions()
    {
        var cell = Cell(s_paths[1]);
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(1));
        using var x = Input(3);
        using var y = net.ForwardPath(x, cell);
        using var loss = y.Square().Mean();
        loss.Backward();
        var first = net.SearchCells.First();
        var chosen = first.GetEdge(0).Operations[(int)Nb201Operation.NorConv1x1].Parameters().Single();
        var notChosen = first.GetEdge(0).Operations[(int)Nb201Operation.NorConv3x3].Parameters().Single();
        Assert.Multiple(() =>
        {
            Assert.That(chosen.Grad, Is.Not.Null);
            Assert.That(chosen.Grad!.ToArray().Max(Math.Abs), Is.GreaterThan(0f));
            Assert.That(notChosen.Grad, Is.Null);
        });
    }

    [Test]
    public void ForwardPath_SingleOperationSupernetWeights_EqualsSoftmaxForwardWithOneHotLogits()
    {
        // Large logits make softmax one-hot in float32 (e^-100 underflows to 0), so the mixed forward must equal the fixed path.
        var cell = Cell(s_paths[0]);
        var alpha = new float[30];
        for (var e = 0; e < 6; e++)
        {
            for (var o = 0; o < 5; o++)
            {
                alpha[(e * 5) + o] = o == (int)cell.Operations[e] ? 100f : 0f;
            }
        }

        using var net = new Nb201Supernet(s_tiny, generator: new Generator(9));
        SetAlpha(net, alpha);
        using var x = Input(4);
        using var mixed = net.Call(x);
        using var path = net.ForwardPath(x, cell);
        using var other = net.ForwardPath(x, Cell(s_paths[1]));
        Assert.Multiple(() =>
        {
            Assert.That(path.ToArray(), Is.EqualTo(mixed.ToArray()).Within(1e-5f));
            Assert.That(other.ToArray(), Is.Not.EqualTo(mixed.ToArray()).Within(1e-3f), "a different path must give a different output");
        });
    }

    [TestCaseSource(nameof(s_paths))]
    public void ExtractSubnet_TrackedStatisticsInEvalMode_EqualsForwardPath(string text)
    {
        var cell = Cell(text);
        using var net = new Nb201Supernet(s_tiny, trackRunningStats: true, generator: new Generator(11));

        // Two training passes along the path move the running statistics of the stem, the residual blocks, the head and the
        // path's own batch norms away from (0, 1); other operations' statistics stay at (0, 1).
        for (var seed = 20; seed < 22; seed++)
        {
            using var warm = Input(seed);
            using var ignored = net.ForwardPath(warm, cell);
        }

        using var subnet = net.ExtractSubnet(cell);
        net.Eval();
        subnet.Eval();
        using var x = Input(5);
        using var expected = net.ForwardPath(x, cell);
        using var actual = subnet.Call(x);
        Assert.Multiple(() =>
        {
            Assert.That(subnet.Cell, Is.SameAs(cell));
            Assert.That(subnet.Options, Is.EqualTo(s_tiny));
            Assert.That(actual.ToArray(), Is.EqualTo(expected.ToArray()).Within(1e-5f));
        });
    }

    [TestCaseSource(nameof(s_paths))]
    public void ExtractSubnet_UntrackedStatisticsInTrainMode_EqualsForwardPath(string text)
    {
        var cell = Cell(text);
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(12));
        using var subnet = net.ExtractSubnet(cell);
        using var x = Input(6);
        using var expected = net.ForwardPath(x, cell);
        using var actual = subnet.Call(x);
        Assert.Multiple(() =>
        {
            Assert.That(subnet.IsTraining, Is.True, "the subnet takes the supernet's mode");
            Assert.That(actual.ToArray(), Is.EqualTo(expected.ToArray()).Within(1e-5f));
        });
    }

    [Test]
    public void ExtractSubnet_Weights_AreIndependentCopies()
    {
        var cell = Cell(s_paths[0]);
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(13));
        using var subnet = net.ExtractSubnet(cell);
        var supernetConv = net.SearchCells.First().GetEdge(0).Operations[(int)Nb201Operation.NorConv3x3].Parameters().Single();
        var subnetConv = subnet.NamedParameters().Single(kv => kv.Key == "cells.0.edges.1<-0.conv.weight").Value;
        var supernetStem = net.NamedParameters().Single(kv => kv.Key == "stem.conv.weight").Value;
        var subnetStem = subnet.NamedParameters().Single(kv => kv.Key == "stem.conv.weight").Value;
        var convBefore = supernetConv.ToArray();
        var stemBefore = subnetStem.ToArray();
        Assert.That(subnetConv.ToArray(), Is.EqualTo(convBefore), "the chosen operation's weights are inherited");
        using (Autograd.NoGrad())
        {
            subnetConv.AddInPlace(1f);
            supernetStem.AddInPlace(1f);
        }

        Assert.Multiple(() =>
        {
            Assert.That(supernetConv.ToArray(), Is.EqualTo(convBefore), "changing the subnet must not change the supernet");
            Assert.That(subnetStem.ToArray(), Is.EqualTo(stemBefore), "changing the supernet must not change the subnet");
        });
    }

    [Test]
    public void ExtractSubnet_Cell_HasTheFixedNetworksParametersWithUnitBatchNormAffine()
    {
        var cell = Cell(s_paths[1]);
        using var net = new Nb201Supernet(s_tiny, generator: new Generator(14));
        using var subnet = net.ExtractSubnet(cell);
        using var reference = new Nb201Network(cell, s_tiny);
        var edgeBn = subnet.NamedParameters().Where(kv => kv.Key.Contains(".edges.", StringComparison.Ordinal) && kv.Key.Contains(".bn.", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(subnet.StateDict().Keys, Is.EqualTo(reference.StateDict().Keys));
            Assert.That(edgeBn, Has.Count.EqualTo(3 * 2 * 2), "two convolutions per cell, three cells, weight and bias each");
            Assert.That(edgeBn.Where(kv => kv.Key.EndsWith(".weight", StringComparison.Ordinal)).SelectMany(kv => kv.Value.ToArray()), Is.All.EqualTo(1f));
            Assert.That(edgeBn.Where(kv => kv.Key.EndsWith(".bias", StringComparison.Ordinal)).SelectMany(kv => kv.Value.ToArray()), Is.All.EqualTo(0f));
        });
    }

    [Test]
    public void ExtractSubnet_NullCell_Throws()
    {
        using var net = new Nb201Supernet(s_tiny);
        Assert.That(() => net.ExtractSubnet(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void ForwardPath_WrongInputShape_ThrowsWithShape()
    {
        using var net = new Nb201Supernet(s_tiny);
        using var x = Tensor.Zeros(2, 1, 6, 8);
        Assert.That(() => net.ForwardPath(x, Cell(s_paths[0])), Throws.ArgumentException.With.Message.Contains("[2, 1, 6, 8]"));
    }
}
