using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

// Comparisons produce 1.0 where the relation holds and 0.0 elsewhere (NaN compares false, except Ne).

internal readonly struct EqOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x == y ? 1f : 0f;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Equals(x, y) & Vector256<float>.One;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Equals(x, y) & Vector512<float>.One;
}

internal readonly struct NeOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x != y ? 1f : 0f;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.AndNot(Vector256<float>.One, Vector256.Equals(x, y));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.AndNot(Vector512<float>.One, Vector512.Equals(x, y));
}

internal readonly struct LtOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x < y ? 1f : 0f;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.LessThan(x, y) & Vector256<float>.One;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.LessThan(x, y) & Vector512<float>.One;
}

internal readonly struct LeOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x <= y ? 1f : 0f;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.LessThanOrEqual(x, y) & Vector256<float>.One;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.LessThanOrEqual(x, y) & Vector512<float>.One;
}

internal readonly struct GtOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x > y ? 1f : 0f;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThan(x, y) & Vector256<float>.One;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.GreaterThan(x, y) & Vector512<float>.One;
}

internal readonly struct GeOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x >= y ? 1f : 0f;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThanOrEqual(x, y) & Vector256<float>.One;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.GreaterThanOrEqual(x, y) & Vector512<float>.One;
}

/// <summary>x + alpha·y.</summary>
internal readonly struct AxpyOperator(float alpha) : IBinaryOperator
{
    public float Invoke(float x, float y) => x + (alpha * y);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.FusedMultiplyAdd(y, Vector256.Create(alpha), x);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.FusedMultiplyAdd(y, Vector512.Create(alpha), x);
}

internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x + y;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
}

internal readonly struct SubOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x - y;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x - y;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x - y;
}

internal readonly struct MulOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x * y;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y;
}

internal readonly struct DivOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x / y;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x / y;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x / y;
}

internal readonly struct MaxOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : Math.Max(x, y);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Max(x, y);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Max(x, y);
}

internal readonly struct MinOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : Math.Min(x, y);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Min(x, y);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Min(x, y);
}

internal readonly struct PowOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => MathF.Pow(x, y);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) =>
        Vector256.Create(MathF.Pow(x[0], y[0]), MathF.Pow(x[1], y[1]), MathF.Pow(x[2], y[2]), MathF.Pow(x[3], y[3]),
            MathF.Pow(x[4], y[4]), MathF.Pow(x[5], y[5]), MathF.Pow(x[6], y[6]), MathF.Pow(x[7], y[7]));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) =>
        Vector512.Create(Invoke(x.GetLower(), y.GetLower()), Invoke(x.GetUpper(), y.GetUpper()));
}
