using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Darts.Internal;

/// <summary>
/// DARTS's CIFAR auxiliary classifier: ReLU → 5×5 average pooling (stride 3, padding excluded) → 1×1 conv to 128 → BN → ReLU →
/// 2×2 conv to 768 → BN → ReLU → flatten → linear. On the 8×8 map of a 32×32 input the flattened features are 768 wide.
/// </summary>
internal sealed class DartsAuxiliaryHead : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Linear _classifier;

    public DartsAuxiliaryHead(int channels, int size, int classes, Generator generator)
    {
        var pooled = ((size - 5) / 3) + 1;
        var side = pooled - 1;
        _conv1 = RegisterModule("conv1", new Conv2d(channels, 128, 1, bias: false, generator: generator));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(128));
        _conv2 = RegisterModule("conv2", new Conv2d(128, 768, 2, bias: false, generator: generator));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(768));
        _classifier = RegisterModule("classifier", new Linear(768 * side * side, classes, generator: generator));
    }

    protected override Tensor Forward(Tensor input)
    {
        using var r0 = Functional.Relu(input);
        using var p = Functional.AvgPool2d(r0, 5, 3, 0, countIncludePad: false);
        using var c1 = _conv1.Call(p);
        using var b1 = _bn1.Call(c1);
        using var r1 = Functional.Relu(b1);
        using var c2 = _conv2.Call(r1);
        using var b2 = _bn2.Call(c2);
        using var r2 = Functional.Relu(b2);
        using var f = r2.Flatten(1);
        return _classifier.Call(f);
    }
}
