using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Testing.Tests;

/// <summary>The network of a toy architecture: Linear → ReLU → Linear, optionally with a layer that is registered but never used.</summary>
public sealed class ToyNetwork : Module<Tensor, Tensor>
{
    private readonly Linear _hidden;
    private readonly Linear _output;

    public ToyNetwork(int inFeatures, int hidden, bool withUnusedLayer, Generator generator)
    {
        _hidden = RegisterModule("hidden", new Linear(inFeatures, hidden, generator: generator));
        _output = RegisterModule("output", new Linear(hidden, 3, generator: generator));
        if (withUnusedLayer)
        {
            RegisterModule("unused", new Linear(hidden, 3, generator: generator));
        }
    }

    protected override Tensor Forward(Tensor input)
    {
        using var h = _hidden.Call(input);
        using var r = h.Relu();
        return _output.Call(r);
    }
}
