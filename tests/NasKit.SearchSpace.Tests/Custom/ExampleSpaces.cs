using NasKit.SearchSpace.Custom;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Tests.Custom;

/// <summary>Small custom spaces shared by the tests.</summary>
internal static class ExampleSpaces
{
    /// <summary>Ops offered per block of <see cref="TinyCnn"/>.</summary>
    public static readonly string[] Ops = ["conv3x3", "conv1x1", "maxpool"];

    private static readonly Lazy<CustomSearchSpace> s_tinyCnn = new(() => TinyCnn());

    /// <summary>Gets one shared <see cref="TinyCnn"/> instance (spaces are immutable; exploring one takes a few hundred milliseconds).</summary>
    public static CustomSearchSpace SharedTinyCnn => s_tinyCnn.Value;

    /// <summary>
    /// A tiny CNN on 1x8x8 inputs: width (2 values) × act (2) × dropout grid (3) × depth 1..3 with a per-block op (3 + 9 + 27 op
    /// sequences) = 2 · 2 · 3 · 39 = 468 architectures.
    /// </summary>
    public static CustomSearchSpace TinyCnn(CustomSearchSpaceOptions? options = null) => new("tiny-cnn", [1, 8, 8], ctx =>
    {
        var width = ctx.Choose(Choice.Int("width", 4, 8, step: 4));
        var act = ctx.Choose(Choice.Categorical("act", "relu", "gelu"));
        var dropout = ctx.Choose(Choice.Float("dropout", 0, 0.5, step: 0.25));
        var blocks = ctx.Repeat(Choice.Int("depth", 1, 3), i => new Sequential(
            ctx.Choose(Choice.Layer(
                $"layer{i + 1}.op",
                ("conv3x3", () => new Conv2d(width, width, 3, padding: 1, generator: ctx.Generator)),
                ("conv1x1", () => new Conv2d(width, width, 1, generator: ctx.Generator)),
                ("maxpool", () => new MaxPool2d(3, stride: 1, padding: 1)))),
            act == "relu" ? new ReLU() : new GELU()));
        return new Sequential(
            new Conv2d(1, width, 3, padding: 1, generator: ctx.Generator),
            blocks,
            new GlobalAvgPool2d(),
            new Flatten(),
            new Dropout(dropout, ctx.Generator),
            new Linear(width, 10, generator: ctx.Generator));
    }, options);

    /// <summary>
    /// A space with a continuous log-scale float, an input choice and a layer choice whose candidates open further choices: not finite.
    /// </summary>
    public static CustomSearchSpace Mixed() => new("mixed", [2, 4, 4], ctx =>
    {
        var scale = ctx.Choose(Choice.Float("scale", 1e-3, 10, log: true));
        var inputs = ctx.Choose(Choice.Inputs("inputs", 4, 2));
        var head = ctx.Choose(Choice.Categorical("head", "linear", "mlp"));
        var hidden = head == "mlp" ? ctx.Choose(Choice.Int("mlp.hidden", 4, 16, step: 4)) : 0;
        var features = 2 * 4 * 4;
        Module<Tensor, Tensor> classifier = head == "mlp"
            ? new Sequential(new Linear(features, hidden, generator: ctx.Generator), new ReLU(), new Linear(hidden, 3, generator: ctx.Generator))
            : new Linear(features, 3, generator: ctx.Generator);
        _ = scale + inputs.Count;
        return new Sequential(new Flatten(), classifier);
    });
}
