namespace NasKit.SearchSpace.Operations;

/// <summary>Names the activation functions that the mobile blocks (<see cref="MBConvBlock"/>) and macro spaces use.</summary>
public enum ActivationKind
{
    /// <summary>The rectified linear unit, max(0, x).</summary>
    Relu,

    /// <summary>ReLU clipped at 6, min(max(0, x), 6).</summary>
    Relu6,

    /// <summary>The hard swish of MobileNetV3, x · ReLU6(x + 3) / 6.</summary>
    Hardswish,
}
