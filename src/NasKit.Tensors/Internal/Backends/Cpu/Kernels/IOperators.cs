using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>An element-wise unary function in scalar and vector form; instances carry parameters (e.g. a slope).</summary>
internal interface IUnaryOperator
{
    float Invoke(float x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise binary function in scalar and vector form.</summary>
internal interface IBinaryOperator
{
    float Invoke(float x, float y);

    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
