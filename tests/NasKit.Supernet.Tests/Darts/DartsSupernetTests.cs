using NasKit.SearchSpace.Darts;
using NasKit.Supernet.Darts;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Tests.Darts;

public sealed class DartsSupernetTests
{
    private static readonly DartsSupernetOptions s_small = new() { Channels = 4, Layers = 3, Classes = 5 };

    // PyTorch 1.13: Fixtures/darts_supernet.py, training-mode logits of its C=4, 3-cell, 5-class supernet with parameter k (ordinal
    // name order, alphas included) filled with 0.5*sin(0.37*j + 1.1*k) and the input [2, 3, 8, 8] filled with sin(0.1*j).
    // The same network in float64 gives logits that differ from these float32 ones by up to 6e-5 (batch norms over 2x2 maps
    // amplify rounding), so the comparison allows 1e-3; a wrong operation or wiring moves the logits by far more.
    private static readonly float[] s_smallLogits =
    [
        -2.581061e+00f, -5.735586e+00f, 1.371149e+00f, 5.900103e+00f, -4.179821e-01f, 3.098792e+00f, 5.908902e+00f, -1.565703e+00f, -6.436196e+00f, -3.870938e-01f,
    ];

    // PyTorch 1.13: Fixtures/darts_supernet.py, DARTS's derivation rule (written there from the specification) applied to those alphas.
    private const string SmallGenotype =
        "Genotype(normal=[('max_pool_3x3', 1), ('sep_conv_3x3', 0), ('max_pool_3x3', 1), ('dil_conv_3x3', 2), ('dil_conv_5x5', 3), ('dil_conv_5x5', 1), ('dil_conv_5x5', 1), ('dil_conv_5x5', 3)], normal_concat=range(2, 6), "
        + "reduce=[('dil_conv_5x5', 1), ('max_pool_3x3', 0), ('dil_conv_5x5', 1), ('avg_pool_3x3', 0), ('sep_conv_5x5', 3), ('max_pool_3x3', 2), ('dil_conv_5x5', 3), ('max_pool_3x3', 4)], reduce_concat=range(2, 6))";

    private static void SetAlpha(Parameter alpha, float[] values)
    {
        using (Autograd.NoGrad())
        {
            alpha.CopyFrom(values);
        }
    }

    private static void SinFill(Module module)
    {
        var named = module.NamedParameters().OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        using (Autograd.NoGrad())
        {
            for (var k = 0; k < named.Count; k++)
            {
                var values = new float[named[k].Value.NumberOfElements];
                for (var j = 0; j < values.Length; j++)
                {
                    values[j] = (float)(0.5 * Math.Sin((0.37 * j) + (1.1 * k)));
                }

                named[k].Value.CopyFrom(values);
            }
        }
    }

    private static Tensor SinInput()
    {
        var values = new float[2 * 3 * 8 * 8];
        for (var j = 0; j < values.Length; j++)
        {
            values[j] = (float)Math.Sin(0.1 * j);
        }

        return Tensor.FromArray(values, 2, 3, 8, 8);
    }

    [Test]
    public void ParameterCount_Defaults_MatchesPyTorchReimplementation()
    {
        // PyTorch 1.13: Fixtures/darts_supernet.py prints 1930842 parameters (1930618 without the two 14x8 alphas, DARTS's
        // "param size = 1.930618MB") in 1401 tensors for C=16, 8 cells, 10 classes.
        using var net = new DartsSupernet();
        Assert.Multiple(() =>
        {
            Assert.That(net.ParameterCount(), Is.EqualTo(1_930_842));
            Assert.That(net.WeightParameters().Sum(p => (long)p.NumberOfElements), Is.EqualTo(1_930_618));
            Assert.That(net.Parameters().Count(), Is.EqualTo(1401));
            Assert.That(net.ReductionLayers, Is.EqualTo(new[] { 2, 5 }));
            Assert.That(net.OutputFeatures, Is.EqualTo(256));
        });
    }

    [Test]
    public void ParameterCount_OtherSkeleton_MatchesPyTorchReimplementation()
    {
        // PyTorch 1.13: Fixtures/darts_supernet.py prints 405612 parameters (405388 without alphas) in 891 tensors for C=8,
        // 5 cells, 1 input channel, 100 classes.
        using var net = new DartsSupernet(new DartsSupernetOptions { Channels = 8, Layers = 5, InputChannels = 1, Classes = 100 });
        Assert.Multiple(() =>
        {
            Assert.That(net.ParameterCount(), Is.EqualTo(405_612));
            Assert.That(net.WeightParameters().Sum(p => (long)p.NumberOfElements), Is.EqualTo(405_388));
            Assert.That(net.Parameters().Count(), Is.EqualTo(891));
            Assert.That(net.ReductionLayers, Is.EqualTo(new[] { 1, 3 }));
        });
    }

    [Test]
    public void Forward_SinFilledSmallSupernet_MatchesPyTorchLogits()
    {
        using var net = new DartsSupernet(s_small, generator: new Generator(3));
        SinFill(net);
        using var x = SinInput();
        using var logits = net.Call(x);
        Assert.Multiple(() =>
        {
            Assert.That(logits.Shape, Is.EqualTo(new[] { 2, 5 }));
            Assert.That(logits.ToArray(), Is.EqualTo(s_smallLogits).Within(1e-3f));
        });
    }

    [Test]
    public void DeriveGenotype_SinFilledAlphas_MatchesPyTorchDerivation()
    {
        using var net = new DartsSupernet(s_small);
        SinFill(net);
        Assert.That(net.DeriveGenotype().ToString(), Is.EqualTo(SmallGenotype));
    }

    [Test]
    public void DeriveGenotype_HandSetAlpha_KeepsTwoStrongestNonNoneEdgesPerNode()
    {
        // Columns: none, max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5.
        // Node 0: row 0 has none = 5 (excluded from the op, but it shrinks the softmax weight of sep_conv_3x3 to about 0.017), row 1
        // max_pool = 2 (about 0.51): input 1 comes first. Node 1: dil_conv_5x5 = 1 on input 1 (0.28) beats skip = 0.5 on input 2
        // (0.19) and the all-zero input 0 (0.125). Node 2: all rows equal, so the ties keep inputs 0 and 1 with the first non-none
        // op. Node 3: sep_conv_5x5 = 3 on input 4, then avg_pool = 2 on input 0. The reduce logits are all zero.
        var normal = new float[14 * 8];
        void Set(int row, int op, float value) => normal[(row * 8) + op] = value;
        Set(0, 0, 5f);
        Set(0, 4, 1f);
        Set(1, 1, 2f);
        Set(3, 7, 1f);
        Set(4, 3, 0.5f);
        Set(9, 2, 2f);
        Set(13, 5, 3f);
        using var net = new DartsSupernet(s_small);
        SetAlpha(net.AlphaNormal, normal);
        SetAlpha(net.AlphaReduce, new float[14 * 8]);
        var genotype = net.DeriveGenotype();
        DartsEdge[] expectedNormal =
        [
            new(DartsOperation.MaxPool3x3, 1), new(DartsOperation.SepConv3x3, 0),
            new(DartsOperation.DilConv5x5, 1), new(DartsOperation.SkipConnect, 2),
            new(DartsOperation.MaxPool3x3, 0), new(DartsOperation.MaxPool3x3, 1),
            new(DartsOperation.SepConv5x5, 4), new(DartsOperation.AvgPool3x3, 0),
        ];
        Assert.Multiple(() =>
        {
            Assert.That(genotype.Normal, Is.EqualTo(expectedNormal));
            Assert.That(genotype.Reduce, Is.All.Property(nameof(DartsEdge.Operation)).EqualTo(DartsOperation.MaxPool3x3));
            Assert.That(genotype.Reduce.Select(e => e.Input), Is.EqualTo(new[] { 0, 1, 0, 1, 0, 1, 0, 1 }));
            Assert.That(genotype.Validate(), Is.Empty);
        });
    }

    [Test]
    public void Forward_SparsemaxOneHotAlphas_RunsOnlyTheSupportAndStridedNoneEdgesGiveReducedZeros()
    {
        // Normal row e favours op (e % 7) + 1 by 3 logits: sparsemax at T = 1.5 is one-hot. Reduce rows 0 and 1 (node 0 reads both
        // cell inputs through stride-2 edges) favour none, so node 0 of a reduction cell runs only its strided zero operations.
        var normal = new float[14 * 8];
        var reduce = new float[14 * 8];
        for (var e = 0; e < 14; e++)
        {
            normal[(e * 8) + (e % 7) + 1] = 3f;
            reduce[(e * 8) + (e < 2 ? 0 : (e % 7) + 1)] = 3f;
        }

        using var net = new DartsSupernet(s_small, new SparsemaxMixing(1.5), new Generator(5));
        SetAlpha(net.AlphaNormal, normal);
        SetAlpha(net.AlphaReduce, reduce);
        var calls = new int[2, 14, 8];
        foreach (var cell in net.Cells)
        {
            var kind = cell.Reduction ? 1 : 0;
            for (var e = 0; e < 14; e++)
            {
                for (var o = 0; o < 8; o++)
                {
                    var (edge, op) = (e, o);
                    cell.GetEdge(e).Operations[o].RegisterForwardHook((_, _, _) => calls[kind, edge, op]++);
                }
            }
        }

        using var x = Tensor.Randn([2, 3, 8, 8], new Generator(6));
        using var y = net.Call(x);
        using var loss = y.Square().Mean();
        loss.Backward();
        var skipped = net.Cells[0].GetEdge(0).Operations[(int)DartsOperation.SepConv5x5].Parameters().First();
        var chosen = net.Cells[0].GetEdge(3).Operations[(int)DartsOperation.SepConv3x3].Parameters().First();
        Assert.Multiple(() =>
        {
            for (var e = 0; e < 14; e++)
            {
                for (var o = 0; o < 8; o++)
                {
                    // One normal cell (cell 0) and two reduction cells (1 and 2).
                    Assert.That(calls[0, e, o], Is.EqualTo(o == (e % 7) + 1 ? 1 : 0), $"normal edge {e}, op {o}");
                    Assert.That(calls[1, e, o], Is.EqualTo(o == (e < 2 ? 0 : (e % 7) + 1) ? 2 : 0), $"reduce edge {e}, op {o}");
                }
            }

            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 5 }));
            Assert.That(skipped.Grad, Is.Null, "a skipped operation gets no gradient");
            Assert.That(chosen.Grad, Is.Not.Null);
            Assert.That(net.AlphaNormal.Grad, Is.Not.Null);
            Assert.That(net.LastReduceWeights![0], Is.EqualTo(new[] { 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f }));
        });
    }

    [Test]
    public void Parameters_ArchitectureAndWeights_AreDisjointAndCellsHaveNoAffineBatchNorm()
    {
        using var net = new DartsSupernet(s_small);
        var arch = net.ArchitectureParameters().ToList();
        var weights = net.WeightParameters().ToList();
        var cellBatchNorms = net.Cells.SelectMany(c => c.Modules()).OfType<BatchNorm>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(arch, Is.EqualTo(new[] { net.AlphaNormal, net.AlphaReduce }));
            Assert.That(net.AlphaNormal.Shape, Is.EqualTo(new[] { 14, 8 }));
            Assert.That(weights, Does.Not.Contain(net.AlphaNormal).And.Not.Contain(net.AlphaReduce));
            Assert.That(weights.Count + 2, Is.EqualTo(net.Parameters().Count()));
            Assert.That(cellBatchNorms, Is.Not.Empty);
            Assert.That(cellBatchNorms.Select(bn => bn.Affine), Is.All.False);
            Assert.That(net.StateDict().Keys, Does.Contain("alphas_normal").And.Contain("alphas_reduce").And.Contain("cells.1.edges.0.ops.3.conv1.weight"));
        });
    }

    [Test]
    public void Constructor_SameSeed_SameAlphasOfDartsScale()
    {
        using var a = new DartsSupernet(s_small, generator: new Generator(7));
        using var b = new DartsSupernet(s_small, generator: new Generator(7));
        using var c = new DartsSupernet(s_small, generator: new Generator(8));
        var alphaA = a.AlphaNormal.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(b.AlphaNormal.ToArray(), Is.EqualTo(alphaA));
            Assert.That(b.AlphaReduce.ToArray(), Is.EqualTo(a.AlphaReduce.ToArray()));
            Assert.That(a.AlphaReduce.ToArray(), Is.Not.EqualTo(alphaA));
            Assert.That(c.AlphaNormal.ToArray(), Is.Not.EqualTo(alphaA));
            Assert.That(alphaA.Max(Math.Abs), Is.LessThan(5e-3f).And.GreaterThan(0f), "alpha ~ 1e-3 N(0, 1)");
        });
    }

    [Test]
    public void Forward_WrongInputChannels_ThrowsWithShape()
    {
        using var net = new DartsSupernet(s_small);
        using var x = Tensor.Zeros(2, 1, 8, 8);
        Assert.That(() => net.Call(x), Throws.ArgumentException.With.Message.Contains("[2, 1, 8, 8]"));
    }
}
