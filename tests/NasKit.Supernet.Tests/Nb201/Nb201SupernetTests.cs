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
}
