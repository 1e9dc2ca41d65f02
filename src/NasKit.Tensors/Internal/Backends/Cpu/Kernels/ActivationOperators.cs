using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

// Forward activations that TensorPrimitives does not provide. NaN inputs propagate (Vector*.Max/Min are IEEE 754:2019
// maximum/minimum in .NET 9+, which return NaN when either input is NaN), matching PyTorch.

internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => float.IsNaN(x) ? x : (x > 0f ? x : 0f);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

internal readonly struct ClampOperator(float min, float max) : IUnaryOperator
{
    public float Invoke(float x) => float.IsNaN(x) ? x : Math.Min(Math.Max(x, min), max);

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(min)), Vector256.Create(max));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(min)), Vector512.Create(max));
}

internal readonly struct LeakyReluOperator(float slope) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : x * slope;

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);
}

internal readonly struct EluOperator(float alpha) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : alpha * float.ExpM1(x);

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, (Vector256.Exp(x) - Vector256<float>.One) * alpha);

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, (Vector512.Exp(x) - Vector512<float>.One) * alpha);
}

internal readonly struct HardsigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => float.IsNaN(x) ? x : Math.Clamp((x / 6f) + 0.5f, 0f, 1f);

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.Min(Vector256.Max((x * (1f / 6f)) + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256<float>.One);

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Min(Vector512.Max((x * (1f / 6f)) + Vector512.Create(0.5f), Vector512<float>.Zero), Vector512<float>.One);
}

internal readonly struct HardswishOperator : IUnaryOperator
{
    public float Invoke(float x) => x * new HardsigmoidOperator().Invoke(x);

    public Vector256<float> Invoke(Vector256<float> x) => x * new HardsigmoidOperator().Invoke(x);

    public Vector512<float> Invoke(Vector512<float> x) => x * new HardsigmoidOperator().Invoke(x);
}

internal readonly struct SiluOperator : IUnaryOperator
{
    public float Invoke(float x) => x / (1f + MathF.Exp(-x));

    public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));

    public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));
}

/// <summary>Exact GELU: x · Φ(x) = 0.5 · x · (1 + erf(x / √2)).</summary>
internal readonly struct GeluOperator : IUnaryOperator
{
    private const float InvSqrt2 = 0.70710678118654752f;

    public float Invoke(float x) => 0.5f * x * (1f + ErfApprox.Erf(x * InvSqrt2));

    public Vector256<float> Invoke(Vector256<float> x) => x * 0.5f * (Vector256<float>.One + ErfApprox.Erf(x * InvSqrt2));

    public Vector512<float> Invoke(Vector512<float> x) => x * 0.5f * (Vector512<float>.One + ErfApprox.Erf(x * InvSqrt2));
}

/// <summary>Tanh-approximated GELU: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))).</summary>
internal readonly struct GeluTanhOperator : IUnaryOperator
{
    internal const float Kappa = 0.7978845608028654f; // sqrt(2/pi)
    internal const float Cubic = 0.044715f;

    public float Invoke(float x) => 0.5f * x * (1f + MathF.Tanh(Kappa * (x + (Cubic * x * x * x))));

    public Vector256<float> Invoke(Vector256<float> x) =>
        x * 0.5f * (Vector256<float>.One + TanhApprox.Tanh((x + (x * x * x * Cubic)) * Kappa));

    public Vector512<float> Invoke(Vector512<float> x) =>
        x * 0.5f * (Vector512<float>.One + TanhApprox.Tanh((x + (x * x * x * Cubic)) * Kappa));
}

internal readonly struct AffineOperator(float scale, float shift) : IUnaryOperator
{
    public float Invoke(float x) => (x * scale) + shift;

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.FusedMultiplyAdd(x, Vector256.Create(scale), Vector256.Create(shift));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.FusedMultiplyAdd(x, Vector512.Create(scale), Vector512.Create(shift));
}

/// <summary>max(x·scale + shift, 0), NaN kept as <see cref="ReluOperator"/> keeps it: batch norm's affine step and a following ReLU in one pass.</summary>
internal readonly struct AffineReluOperator(float scale, float shift) : IUnaryOperator
{
    public float Invoke(float x)
    {
        var v = (x * scale) + shift;
        return float.IsNaN(v) ? v : (v > 0f ? v : 0f);
    }

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(Vector256.FusedMultiplyAdd(x, Vector256.Create(scale), Vector256.Create(shift)), Vector256<float>.Zero);

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(Vector512.FusedMultiplyAdd(x, Vector512.Create(scale), Vector512.Create(shift)), Vector512<float>.Zero);
}

internal readonly struct SquareOperator : IUnaryOperator
{
    public float Invoke(float x) => x * x;

    public Vector256<float> Invoke(Vector256<float> x) => x * x;

    public Vector512<float> Invoke(Vector512<float> x) => x * x;
}

internal readonly struct SignOperator : IUnaryOperator
{
    public float Invoke(float x) => float.IsNaN(x) ? x : (x > 0f ? 1f : (x < 0f ? -1f : 0f));

    // NaN stays NaN (selected through the x == x mask; adding x - x would also turn ±inf into NaN), zeros of either sign give 0.
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(
            Vector256.Equals(x, x),
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero)
            - Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero),
            x);

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(
            Vector512.Equals(x, x),
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero)
            - Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero),
            x);
}

/// <summary>Softplus with beta and threshold: log(1 + exp(beta·x)) / beta, or x where beta·x &gt; threshold.</summary>
internal readonly struct SoftplusOperator(float beta, float threshold) : IUnaryOperator
{
    public float Invoke(float x)
    {
        var bx = beta * x;
        return bx > threshold ? x : float.LogP1(MathF.Exp(bx)) / beta;
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        var bx = x * beta;
        var soft = Vector256.Log(Vector256<float>.One + Vector256.Exp(bx)) / beta;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(bx, Vector256.Create(threshold)), x, soft);
    }

    public Vector512<float> Invoke(Vector512<float> x)
    {
        var bx = x * beta;
        var soft = Vector512.Log(Vector512<float>.One + Vector512.Exp(bx)) / beta;
        return Vector512.ConditionalSelect(Vector512.GreaterThan(bx, Vector512.Create(threshold)), x, soft);
    }
}
