using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Tests.Latency;

/// <summary>Small seeded networks for the latency tests.</summary>
internal static class TestNetworks
{
    /// <summary>Conv(2→4, 3×3) → ReLU → Residual(Conv(4→4, 1×1)) → ReLU (the ReLU module object is used twice).</summary>
    public static Sequential ConvReluResidual()
    {
        var relu = new ReLU();
        return new Sequential(
            new Conv2d(2, 4, 3, padding: 1, bias: false, generator: new Generator(1)),
            relu,
            new Residual(new Conv2d(4, 4, 1, bias: false, generator: new Generator(2))),
            relu);
    }

    /// <summary>Adds its input to its child's output: the addition is the module's own work.</summary>
    public sealed class Residual : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> _body;

        public Residual(Module<Tensor, Tensor> body) => _body = RegisterModule("body", body);

        protected override Tensor Forward(Tensor input)
        {
            using var y = _body.Call(input);
            return y.Add(input);
        }
    }
}
