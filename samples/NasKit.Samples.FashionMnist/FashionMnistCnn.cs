using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Samples.FashionMnist;

/// <summary>
/// The <c>fmnist-cnn</c> network of the performance peer (shared/perf/README.md): three 3×3 convolutions with batch norm and
/// ReLU, one 2×2 max pooling, global average pooling and a linear classifier. 94,186 parameters.
/// </summary>
internal sealed class FashionMnistCnn : Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    public FashionMnistCnn(Generator generator)
    {
        _layers = RegisterModule("layers", new Sequential(
            new Conv2d(1, 32, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(32), new ReLU(),
            new Conv2d(32, 64, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(64), new ReLU(),
            new MaxPool2d(2),
            new Conv2d(64, 128, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(128), new ReLU(),
            new GlobalAvgPool2d(),
            new Linear(128, 10, generator: generator)));
    }

    protected override Tensor Forward(Tensor input) => _layers.Call(input);
}
