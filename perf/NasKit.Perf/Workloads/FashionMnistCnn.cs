using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Perf.Workloads;

/// <summary>The peer's <c>fmnist-cnn</c>: 94,186 parameters.</summary>
internal static class FashionMnistCnn
{
    public static Sequential Create(Generator generator) => new(
        new Conv2d(1, 32, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(32), new ReLU(),
        new Conv2d(32, 64, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(64), new ReLU(),
        new MaxPool2d(2),
        new Conv2d(64, 128, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(128), new ReLU(),
        new GlobalAvgPool2d(),
        new Linear(128, 10, generator: generator));
}
