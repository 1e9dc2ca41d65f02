using NasKit.Tensors.Internal;

namespace NasKit.Tensors.NN;

/// <summary>
/// Provides the neural-network operations as functions (PyTorch's <c>torch.nn.functional</c>): activations, linear and
/// convolution layers, pooling, normalisation, dropout, losses and padding. Every function is differentiable unless noted.
/// </summary>
/// <remarks>The modules in this namespace (<see cref="NN.Conv2d"/>, <see cref="NN.Linear"/>, ...) hold parameters and call these functions.</remarks>
public static partial class Functional
{
    private static (int H, int W) Pair(int value, string name)
    {
        if (value < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(name, value, $"'{name}' must be non-negative, but got {value}.");
        }

        return (value, value);
    }

    private static void CheckRank(Tensor x, string op, params int[] ranks)
    {
        if (!ranks.Contains(x.Rank))
        {
            ThrowHelper.ThrowArgument($"{op} expects an input of rank {string.Join(" or ", ranks)}, but got shape {ThrowHelper.FormatShape(x.ShapeSpan)}.", nameof(x));
        }
    }
}
