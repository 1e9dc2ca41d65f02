using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

/// <summary>
/// erf(x) for float32 from the Abramowitz–Stegun 7.1.26 rational form (|error| &lt; 1.5e-7, a few ulp near 1),
/// which is all the precision a float32 GELU needs. Odd symmetry handles negative inputs.
/// </summary>
internal static class ErfApprox
{
    private const float P = 0.3275911f;
    private const float A1 = 0.254829592f;
    private const float A2 = -0.284496736f;
    private const float A3 = 1.421413741f;
    private const float A4 = -1.453152027f;
    private const float A5 = 1.061405429f;

    public static float Erf(float x)
    {
        if (float.IsNaN(x))
        {
            return x;
        }

        var ax = MathF.Abs(x);
        var t = 1f / (1f + (P * ax));
        var poly = ((((((((A5 * t) + A4) * t) + A3) * t) + A2) * t) + A1) * t;
        var y = 1f - (poly * MathF.Exp(-ax * ax));
        return MathF.CopySign(y, x);
    }

    public static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + (ax * P));
        var poly = Vector256.FusedMultiplyAdd(t, Vector256.Create(A5), Vector256.Create(A4));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A3));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A2));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A1));
        poly *= t;
        var y = Vector256<float>.One - (poly * Vector256.Exp(-(ax * ax)));
        return Vector256.CopySign(y, x);
    }

    public static Vector512<float> Erf(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var t = Vector512<float>.One / (Vector512<float>.One + (ax * P));
        var poly = Vector512.FusedMultiplyAdd(t, Vector512.Create(A5), Vector512.Create(A4));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A3));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A2));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A1));
        poly *= t;
        var y = Vector512<float>.One - (poly * Vector512.Exp(-(ax * ax)));
        return Vector512.CopySign(y, x);
    }
}
