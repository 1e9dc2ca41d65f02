using NasKit.SearchSpace.Custom;
using NasKit.Tensors.NN;

namespace NasKit.Samples.CustomSpace;

/// <summary>The user's own search space for 1×28×28 Fashion-MNIST images, written with <see cref="CustomSearchSpace"/>.</summary>
internal static class FashionMnistSpace
{
    /// <summary>
    /// Creates the space: a stem convolution of 8–32 channels, one to three stages (each a chosen op, the activation and a 2×2 max
    /// pool), global average pooling, dropout and a linear classifier. Each stage's op is a conditional choice: it exists only when
    /// the depth reaches that stage.
    /// </summary>
    public static CustomSearchSpace Create() => new("fmnist-custom", [1, 28, 28], ctx =>
    {
        var width = ctx.Choose(Choice.Int("width", 8, 32, step: 8));
        var activation = ctx.Choose(Choice.Categorical("act", "relu", "gelu", "silu"));
        var dropout = ctx.Choose(Choice.Float("dropout", 0, 0.3, step: 0.1));
        Module<NasKit.Tensors.Tensor, NasKit.Tensors.Tensor> Act() => activation switch
        {
            "gelu" => new GELU(),
            "silu" => new SiLU(),
            _ => new ReLU(),
        };

        var stages = ctx.Repeat(Choice.Int("depth", 1, 3), i => new Sequential(
            ctx.Choose(Choice.Layer(
                $"stage{i + 1}.op",
                ("conv3x3", () => new Conv2d(width, width, 3, padding: 1, generator: ctx.Generator)),
                ("conv5x5", () => new Conv2d(width, width, 5, padding: 2, generator: ctx.Generator)),
                ("sep3x3", () => new Sequential(
                    new Conv2d(width, width, 3, padding: 1, groups: width, generator: ctx.Generator),
                    new Conv2d(width, width, 1, generator: ctx.Generator))))),
            new BatchNorm2d(width),
            Act(),
            new MaxPool2d(2)));

        return new Sequential(
            new Conv2d(1, width, 3, padding: 1, generator: ctx.Generator),
            new BatchNorm2d(width),
            Act(),
            stages,
            new GlobalAvgPool2d(),
            new Flatten(),
            new Dropout(dropout, ctx.Generator),
            new Linear(width, 10, generator: ctx.Generator));
    });
}
