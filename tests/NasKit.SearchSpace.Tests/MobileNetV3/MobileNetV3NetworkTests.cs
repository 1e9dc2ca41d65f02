using NasKit.SearchSpace.MobileNetV3;
using NasKit.Tensors;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.MobileNetV3;

/// <summary>Tests <see cref="MobileNetV3Network"/> against an independent PyTorch model of the same network (Fixtures/mbv3_params.py).</summary>
public sealed class MobileNetV3NetworkTests
{
    private const string MixedText = "r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6";

    // PyTorch 1.13: Fixtures/mbv3_params.py, "logits mixed classes=10 r=32 eval" (2 samples x 10 classes).
    private static readonly float[] MixedLogits =
    [
        1.0682530e-01f, -5.4137681e-02f, 1.4647070e-01f, 1.6252446e-01f, -1.5687843e-01f, -1.2800790e-01f, 1.6891076e-01f, -2.9093361e-01f, -1.2979570e-01f, 8.9290336e-02f,
        1.2358259e-01f, -8.0260113e-02f, 1.0297699e-01f, 1.2255665e-01f, -1.2206933e-01f, -7.9312131e-02f, 2.9948995e-01f, -2.5472769e-01f, -4.0972963e-02f, 8.3175249e-02f,
    ];

    // PyTorch 1.13: Fixtures/mbv3_params.py, sum of p.numel() over the independent torch model's parameters.
    [TestCase("r=224|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6", 1000, 7664760L)]
    [TestCase("r=128|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3", 1000, 3410792L)]
    [TestCase(MixedText, 1000, 5256672L)]
    [TestCase(MixedText, 10, 3988482L)]
    public void ParameterCount_Architecture_MatchesPyTorchModel(string text, int classes, long expected)
    {
        var space = new MobileNetV3SearchSpace(new MobileNetV3SpaceOptions { Classes = classes });
        using var network = space.Build(space.Parse(text));
        Assert.That(network.ParameterCount(), Is.EqualTo(expected));
    }

    [Test]
    [Category("Slow")]
    public void Forward_MixedArchitectureWithNamedWeights_MatchesPyTorchLogits()
    {
        using var scope = TensorScope.Begin();
        var architecture = new MobileNetV3SearchSpace().Parse(MixedText);
        using var network = new MobileNetV3Network(architecture, new MobileNetV3SpaceOptions { Classes = 10 });
        using (Autograd.NoGrad())
        {
            foreach (var (name, p) in network.NamedParameters())
            {
                var values = new float[p.Shape.Aggregate(1, (a, b) => a * b)];
                var h = name.Sum(c => (int)c);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)FillValue(name, h, p.Shape, i);
                }

                p.CopyFrom(values);
            }
        }

        network.Eval();
        var input = new float[2 * 3 * 32 * 32];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)(2.0 * Unit(i, 7));
        }

        using (Autograd.NoGrad())
        {
            var logits = network.Call(Tensor.FromArray(input, 2, 3, 32, 32));
            Assert.That(logits.Shape, Is.EqualTo(new[] { 2, 10 }));
            Assert.That(logits.ToArray(), Is.EqualTo(MixedLogits).Within(2e-4f));
        }
    }

    [Category("Slow")]
    [TestCase(40)] // 40 -> 20 -> 10 -> 5 -> 3 -> 3 -> 2: odd sizes through the strided blocks
    public void Call_SmallResolution_ForwardAndBackwardReachEveryParameter(int resolution)
    {
        using var scope = TensorScope.Begin();
        var space = new MobileNetV3SearchSpace(new MobileNetV3SpaceOptions { Resolutions = [resolution], Classes = 7 });
        var architecture = space.Parse($"r={resolution}|k3e3,k5e4|k7e6,k3e3|k3e3,k3e3|k5e3,k3e4|k3e3,k7e3");
        using var network = space.Build(architecture, new Generator(3));
        var y = network.Call(Tensor.Randn([2, 3, resolution, resolution], new Generator(4)));
        y.Square().Mean().Backward();
        Assert.Multiple(() =>
        {
            Assert.That(y.Shape, Is.EqualTo(new[] { 2, 7 }));
            Assert.That(y.ToArray().All(float.IsFinite), Is.True);
            Assert.That(network.NamedParameters().Where(p => p.Value.Grad is null).Select(p => p.Key), Is.Empty);
            Assert.That(network.NamedParameters().All(p => p.Value.Grad!.ToArray().All(float.IsFinite)), Is.True);
        });
    }

    [Test]
    public void NamedParameters_SmallerSubnet_NamesAndShapesSliceFromLargest()
    {
        var options = new MobileNetV3SpaceOptions { Classes = 10 };
        using var small = new MobileNetV3Network(new MobileNetV3SearchSpace().Parse("r=128|k3e3,k5e4|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3"), options);
        using var large = new MobileNetV3Network(new MobileNetV3SearchSpace().Parse("r=128|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6|k7e6,k7e6,k7e6,k7e6"), options);
        var largeShapes = large.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Shape);
        var smallShapes = small.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Shape);
        Assert.Multiple(() =>
        {
            Assert.That(largeShapes.Keys, Is.SupersetOf(smallShapes.Keys));
            foreach (var (name, shape) in smallShapes)
            {
                var big = largeShapes[name];
                Assert.That(shape.Zip(big).All(p => p.First <= p.Second), Is.True, $"{name}: [{string.Join(", ", shape)}] does not fit in [{string.Join(", ", big)}]");
            }

            Assert.That(smallShapes["stages.0.1.depth_conv.conv.weight"], Is.EqualTo(new[] { 96, 1, 5, 5 }));
            Assert.That(largeShapes["stages.0.1.depth_conv.conv.weight"], Is.EqualTo(new[] { 144, 1, 7, 7 }));
            Assert.That(smallShapes["stages.1.0.depth_conv.se.reduce.weight"], Is.EqualTo(new[] { 24, 72, 1, 1 }));
            Assert.That(largeShapes.Keys, Does.Contain("stages.4.3.point_linear.bn.weight"));
            Assert.That(smallShapes.Keys, Does.Not.Contain("stages.4.2.point_linear.bn.weight"));
            Assert.That(smallShapes.Keys, Does.Not.Contain("first_block.inverted_bottleneck.conv.weight"));
            Assert.That(smallShapes["feature_mix_layer.conv.weight"], Is.EqualTo(new[] { 1280, 960, 1, 1 }));
            Assert.That(smallShapes.Keys, Does.Not.Contain("feature_mix_layer.conv.bias"));
        });
    }

    [Test]
    public void Ctor_SameSeed_SameWeightsOtherSeedDifferent()
    {
        var options = new MobileNetV3SpaceOptions { Classes = 10 };
        var a = new MobileNetV3SearchSpace().Parse("r=128|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        using var first = new MobileNetV3Network(a, options, new Generator(5));
        using var again = new MobileNetV3Network(a, options, new Generator(5));
        using var other = new MobileNetV3Network(a, options, new Generator(6));
        const string Name = "stages.2.1.inverted_bottleneck.conv.weight";
        var w = first.NamedParameters().Single(p => p.Key == Name).Value.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(again.NamedParameters().Single(p => p.Key == Name).Value.ToArray(), Is.EqualTo(w));
            Assert.That(other.NamedParameters().Single(p => p.Key == Name).Value.ToArray(), Is.Not.EqualTo(w));

            // OFA initialisation: normal with std sqrt(2 / fan_out), fan_out = 240 output channels for this 1x1 convolution.
            var std = Math.Sqrt(w.Select(v => (double)v * v).Average());
            Assert.That(std, Is.EqualTo(Math.Sqrt(2.0 / 240)).Within(0.1 * Math.Sqrt(2.0 / 240)));
        });
    }

    [Test]
    public void Call_WrongInputChannels_ThrowsWithShape()
    {
        using var network = new MobileNetV3Network(new MobileNetV3SearchSpace().Parse("r=128|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3"), new MobileNetV3SpaceOptions { Classes = 10 });
        var e = Assert.Throws<ArgumentException>(() => network.Call(Tensor.Zeros([1, 1, 32, 32])));
        Assert.That(e!.Message, Does.Contain("[N, 3, H, W]").And.Contain("[1, 1, 32, 32]"));
    }

    [Test]
    public void Ctor_StageCountDiffersFromOptions_Throws()
    {
        var architecture = new MobileNetV3Architecture(32, [2, 2], [[3, 3], [3, 3]], [[3, 3], [3, 3]]);
        Assert.That(() => new MobileNetV3Network(architecture), Throws.ArgumentException.With.Message.Contains("The options define 5 stages, but the architecture 'r=32|k3e3,k3e3|k3e3,k3e3' has 2"));
    }

    // Mirrors unit() in Fixtures/mbv3_params.py: the "lowbias32" integer hash of (i, h) mapped to [-0.5, 0.5).
    private static double Unit(int i, int h)
    {
        unchecked
        {
            var x = (uint)i + ((uint)h * 0x9E3779B9u);
            x ^= x >> 16;
            x *= 0x7FEB352Du;
            x ^= x >> 15;
            x *= 0x846CA68Bu;
            x ^= x >> 16;
            return (x / 4294967296.0) - 0.5;
        }
    }

    // Mirrors fill_value() in Fixtures/mbv3_params.py; h is the sum of the name's character codes.
    private static double FillValue(string name, int h, int[] shape, int i)
    {
        var u = Unit(i, h);
        if (shape.Length >= 2)
        {
            var fanIn = shape.Skip(1).Aggregate(1, (a, b) => a * b);
            return Math.Sqrt(24.0 / fanIn) * u;
        }

        return name.EndsWith("bn.weight", StringComparison.Ordinal) ? 1.0 + (0.2 * u) : 0.2 * u;
    }
}
