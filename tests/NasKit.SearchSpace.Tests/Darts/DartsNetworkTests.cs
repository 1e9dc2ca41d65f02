using System.Globalization;
using NasKit.SearchSpace.Darts;
using NasKit.Tensors;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Darts;

/// <summary>Tests of <see cref="DartsNetwork"/>, the DARTS evaluation network.</summary>
public sealed class DartsNetworkTests
{
    // PyTorch 1.13: Fixtures/darts_params.py, sorted parameter names and shapes of its DARTS_V2 network at C=4, 3 cells, 10 classes,
    // 32x32 input, auxiliary head.
    private static readonly string[] s_smallParameterNames = string.Concat(
        "auxiliary_head.bn1.bias:128 auxiliary_head.bn1.weight:128 auxiliary_head.bn2.bias:768 ",
        "auxiliary_head.bn2.weight:768 auxiliary_head.classifier.bias:10 auxiliary_head.classifier.weight:10x768 ",
        "auxiliary_head.conv1.weight:128x64x1x1 auxiliary_head.conv2.weight:768x128x2x2 cells.0.ops.0.bn1.bias:4 ",
        "cells.0.ops.0.bn1.weight:4 cells.0.ops.0.bn2.bias:4 cells.0.ops.0.bn2.weight:4 ",
        "cells.0.ops.0.dw1.weight:4x1x3x3 cells.0.ops.0.dw2.weight:4x1x3x3 cells.0.ops.0.pw1.weight:4x4x1x1 ",
        "cells.0.ops.0.pw2.weight:4x4x1x1 cells.0.ops.1.bn1.bias:4 cells.0.ops.1.bn1.weight:4 ",
        "cells.0.ops.1.bn2.bias:4 cells.0.ops.1.bn2.weight:4 cells.0.ops.1.dw1.weight:4x1x3x3 ",
        "cells.0.ops.1.dw2.weight:4x1x3x3 cells.0.ops.1.pw1.weight:4x4x1x1 cells.0.ops.1.pw2.weight:4x4x1x1 ",
        "cells.0.ops.2.bn1.bias:4 cells.0.ops.2.bn1.weight:4 cells.0.ops.2.bn2.bias:4 ",
        "cells.0.ops.2.bn2.weight:4 cells.0.ops.2.dw1.weight:4x1x3x3 cells.0.ops.2.dw2.weight:4x1x3x3 ",
        "cells.0.ops.2.pw1.weight:4x4x1x1 cells.0.ops.2.pw2.weight:4x4x1x1 cells.0.ops.3.bn1.bias:4 ",
        "cells.0.ops.3.bn1.weight:4 cells.0.ops.3.bn2.bias:4 cells.0.ops.3.bn2.weight:4 ",
        "cells.0.ops.3.dw1.weight:4x1x3x3 cells.0.ops.3.dw2.weight:4x1x3x3 cells.0.ops.3.pw1.weight:4x4x1x1 ",
        "cells.0.ops.3.pw2.weight:4x4x1x1 cells.0.ops.4.bn1.bias:4 cells.0.ops.4.bn1.weight:4 ",
        "cells.0.ops.4.bn2.bias:4 cells.0.ops.4.bn2.weight:4 cells.0.ops.4.dw1.weight:4x1x3x3 ",
        "cells.0.ops.4.dw2.weight:4x1x3x3 cells.0.ops.4.pw1.weight:4x4x1x1 cells.0.ops.4.pw2.weight:4x4x1x1 ",
        "cells.0.ops.7.bn.bias:4 cells.0.ops.7.bn.weight:4 cells.0.ops.7.dw.weight:4x1x3x3 ",
        "cells.0.ops.7.pw.weight:4x4x1x1 cells.0.preprocess0.bn.bias:4 cells.0.preprocess0.bn.weight:4 ",
        "cells.0.preprocess0.conv.weight:4x12x1x1 cells.0.preprocess1.bn.bias:4 cells.0.preprocess1.bn.weight:4 ",
        "cells.0.preprocess1.conv.weight:4x12x1x1 cells.1.preprocess0.bn.bias:8 cells.1.preprocess0.bn.weight:8 ",
        "cells.1.preprocess0.conv.weight:8x12x1x1 cells.1.preprocess1.bn.bias:8 cells.1.preprocess1.bn.weight:8 ",
        "cells.1.preprocess1.conv.weight:8x16x1x1 cells.2.preprocess0.bn.bias:16 cells.2.preprocess0.bn.weight:16 ",
        "cells.2.preprocess0.conv1.weight:8x16x1x1 cells.2.preprocess0.conv2.weight:8x16x1x1 cells.2.preprocess1.bn.bias:16 ",
        "cells.2.preprocess1.bn.weight:16 cells.2.preprocess1.conv.weight:16x32x1x1 classifier.bias:10 ",
        "classifier.weight:10x64 stem.0.weight:12x3x3x3 stem.1.bias:12 ",
        "stem.1.weight:12 ",
        "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // PyTorch 1.13: Fixtures/darts_params.py, training-mode logits of that network with parameter k (ordinal name order) filled with
    // 0.5*sin(0.37*j + 1.1*k) and the input with sin(0.1*j), batch of 2.
    private static readonly float[] s_smallLogits = [-1.222058e+01f, 1.271134e-01f, 1.230735e+01f, 2.531175e+00f, -1.221704e+01f, -6.111590e+00f, 9.973315e+00f, 7.664170e+00f, -8.849539e+00f, -1.022300e+01f, -1.198179e+01f, 9.498757e-01f, 1.226237e+01f, 1.697817e+00f, -1.236837e+01f, -5.313879e+00f, 1.031256e+01f, 6.946372e+00f, -9.357865e+00f, -9.624946e+00f];

    // PyTorch 1.13: Fixtures/darts_params.py, the auxiliary logits of the same forward.
    private static readonly float[] s_smallAuxiliaryLogits = [-4.704797e+01f, 8.132923e-01f, 4.652018e+01f, 1.276210e+01f, -4.314548e+01f, -2.631554e+01f, 3.503943e+01f, 3.733181e+01f, -2.307089e+01f, -4.373006e+01f, -4.866328e+01f, -5.350780e-01f, 4.772147e+01f, 1.447933e+01f, -4.381950e+01f, -2.823972e+01f, 3.512263e+01f, 3.928155e+01f, -2.255542e+01f, -4.552151e+01f];

    [Test]
    public void ParameterCount_DartsV2DefaultOptions_MatchesPyTorch()
    {
        // PyTorch 1.13: Fixtures/darts_params.py prints 3349342 for DARTS_V2 at C=36, 20 cells, 10 classes without the auxiliary head
        // (the 3.3M of the DARTS paper, whose train.py leaves the auxiliary head out of the count) and 3825768 with it.
        using var plain = new DartsNetwork(DartsGenotype.DartsV2);
        using var auxiliary = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { AuxiliaryHead = true });
        Assert.Multiple(() =>
        {
            Assert.That(plain.ParameterCount(), Is.EqualTo(3349342));
            Assert.That(auxiliary.ParameterCount(), Is.EqualTo(3825768));
            Assert.That(plain.ReductionLayers, Is.EqualTo(new[] { 6, 13 }));
            Assert.That(plain.OutputFeatures, Is.EqualTo(576));
        });
    }

    [Test]
    public void NamedParameters_SmallDartsV2_SameNamesAndShapesAsPyTorchReference()
    {
        using var network = CreateSmall();
        var actual = network.NamedParameters()
            .Select(p => p.Key + ":" + string.Join("x", p.Value.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.That(actual, Is.EqualTo(s_smallParameterNames));
    }

    [Test]
    public void Forward_SmallDartsV2WithFixedWeights_MatchesPyTorchLogits()
    {
        using var scope = TensorScope.Begin();
        using var network = CreateSmall();
        var names = network.NamedParameters().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var parameters = network.NamedParameters().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        using (Autograd.NoGrad())
        {
            for (var k = 0; k < names.Count; k++)
            {
                var p = parameters[names[k]];
                var values = new float[p.Shape.Aggregate(1, (a, b) => a * b)];
                for (var j = 0; j < values.Length; j++)
                {
                    values[j] = (float)(0.5 * Math.Sin((0.37 * j) + (1.1 * k)));
                }

                p.CopyFrom(values);
            }
        }

        var input = new float[2 * 3 * 32 * 32];
        for (var j = 0; j < input.Length; j++)
        {
            input[j] = (float)Math.Sin(0.1 * j);
        }

        var logits = network.Call(Tensor.FromArray(input, 2, 3, 32, 32));
        Assert.Multiple(() =>
        {
            Assert.That(logits.Shape, Is.EqualTo(new[] { 2, 10 }));
            Assert.That(logits.ToArray(), Is.EqualTo(s_smallLogits).Within(2e-3f));
            Assert.That(network.AuxiliaryLogits, Is.Not.Null);
            Assert.That(network.AuxiliaryLogits!.ToArray(), Is.EqualTo(s_smallAuxiliaryLogits).Within(5e-3f));
        });
    }

    [Test]
    public void AuxiliaryLogits_EvaluationMode_Null()
    {
        using var scope = TensorScope.Begin();
        using var network = CreateSmall();
        var x = Tensor.Randn([2, 3, 32, 32], new Generator(3));
        _ = network.Call(x);
        Assert.That(network.AuxiliaryLogits, Is.Not.Null);
        network.Eval();
        _ = network.Call(x);
        Assert.That(network.AuxiliaryLogits, Is.Null);
    }

    [Test]
    public void Forward_DropPath_SeededInTrainingAndOffInEvaluation()
    {
        using var scope = TensorScope.Begin();
        var options = new DartsNetworkOptions { Channels = 4, Layers = 3, InputSize = 8, DropPathProbability = 0.5 };
        var x = Tensor.Randn([4, 3, 8, 8], new Generator(2));
        using var a = new DartsNetwork(DartsGenotype.DartsV1, options, new Generator(7));
        using var b = new DartsNetwork(DartsGenotype.DartsV1, options, new Generator(7));
        var first = a.Call(x).ToArray();
        var again = b.Call(x).ToArray();
        var next = a.Call(x).ToArray();
        a.DropPathProbability = 0;
        var undropped = a.Call(x).ToArray();
        a.DropPathProbability = 0.5;
        a.Eval();
        var evaluation1 = a.Call(x).ToArray();
        var evaluation2 = a.Call(x).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first), "same seed, same masks");
            Assert.That(next, Is.Not.EqualTo(first), "the next call draws new masks");
            Assert.That(undropped, Is.Not.EqualTo(first));
            Assert.That(evaluation2, Is.EqualTo(evaluation1), "evaluation mode never drops");
        });
    }

    [Test]
    public void DropPathProbability_OutOfRange_Throws()
    {
        using var network = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { Channels = 2, Layers = 1, InputSize = 4 });
        Assert.That(() => network.DropPathProbability = 1.0, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("'0 <= DropPathProbability < 1'"));
    }

    [TestCase(1, new[] { 0 })]
    [TestCase(2, new[] { 0, 1 })]
    [TestCase(8, new[] { 2, 5 })]
    public void ReductionLayers_LayerCount_AtOneThirdAndTwoThirds(int layers, int[] expected)
    {
        using var network = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { Channels = 2, Layers = layers, InputSize = 4 });
        Assert.That(network.ReductionLayers, Is.EqualTo(expected));
    }

    [Test]
    public void Forward_OddInputSize_ReductionsRoundUp()
    {
        using var scope = TensorScope.Begin();
        using var network = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { Channels = 2, Layers = 3, InputSize = 9, Classes = 3 });
        var y = network.Call(Tensor.Randn([2, 3, 9, 9], new Generator(1)));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void Forward_WrongChannelCount_ThrowsWithShape()
    {
        using var scope = TensorScope.Begin();
        using var network = new DartsNetwork(DartsGenotype.DartsV2, new DartsNetworkOptions { Channels = 2, Layers = 1, InputSize = 4 });
        Assert.That(() => network.Call(Tensor.Zeros(1, 1, 4, 4)), Throws.ArgumentException.With.Message.Contains("(N, 3, H, W)").And.Message.Contains("[1, 1, 4, 4]"));
    }

    private static DartsNetwork CreateSmall() =>
        new(DartsGenotype.DartsV2, new DartsNetworkOptions { Channels = 4, Layers = 3, InputSize = 32, AuxiliaryHead = true }, new Generator(0));
}
