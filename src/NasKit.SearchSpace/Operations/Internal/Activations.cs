using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations.Internal;

/// <summary>Creates activation modules from <see cref="ActivationKind"/> values.</summary>
internal static class Activations
{
    public static Module<Tensor, Tensor> Create(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => new ReLU(),
        ActivationKind.Relu6 => new ReLU6(),
        ActivationKind.Hardswish => new Hardswish(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown activation {kind}; expected one of {string.Join(", ", Enum.GetNames<ActivationKind>())}."),
    };

    public static string Name(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => "relu",
        ActivationKind.Relu6 => "relu6",
        ActivationKind.Hardswish => "h_swish",
        _ => kind.ToString(),
    };
}
