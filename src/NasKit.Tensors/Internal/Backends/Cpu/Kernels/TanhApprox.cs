using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// Vector tanh through exp: tanh(x) = sign(x) · (1 − 2 / (exp(2|x|) + 1)). Absolute error below 1e-7; used inside
/// composite activations (tanh-GELU). The plain Tanh op uses TensorPrimitives.Tanh.
/// </summary>
internal static class TanhApprox
{
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var e = Vector256.Exp(Vector256.Abs(x) * 2f);
        var y = Vector256<float>.One - (Vector256.Create(2f) / (e + Vector256<float>.One));
        return Vector256.CopySign(y, x);
    }

    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var e = Vector512.Exp(Vector512.Abs(x) * 2f);
        var y = Vector512<float>.One - (Vector512.Create(2f) / (e + Vector512<float>.One));
        return Vector512.CopySign(y, x);
    }
}
