using System.Runtime.Intrinsics;

namespace NasKit.Tensors.Internal.Backends.Cpu.Kernels;

// Backward kernels of element-wise ops: Invoke(grad, saved), where saved is the forward input unless noted.

/// <summary>grad where y &gt; 0 (saved = relu output).</summary>
internal readonly struct ReluGradOperator : IBinaryOperator
{
    public float Invoke(float g, float y) => y > 0f ? g : 0f;

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), g, Vector256<float>.Zero);

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), g, Vector512<float>.Zero);
}

/// <summary>grad where lo &lt;= x &lt;= hi (clamp), or lo &lt; x &lt; hi when <c>open</c> (relu6, hardsigmoid-style).</summary>
internal readonly struct RangeGradOperator(float lo, float hi, bool open, float scale) : IBinaryOperator
{
    public float Invoke(float g, float x) => (open ? (x > lo && x < hi) : (x >= lo && x <= hi)) ? g * scale : 0f;

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x)
    {
        var l = Vector256.Create(lo);
        var h = Vector256.Create(hi);
        var mask = open ? Vector256.GreaterThan(x, l) & Vector256.LessThan(x, h) : Vector256.GreaterThanOrEqual(x, l) & Vector256.LessThanOrEqual(x, h);
        return Vector256.ConditionalSelect(mask, g * scale, Vector256<float>.Zero);
    }

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x)
    {
        var l = Vector512.Create(lo);
        var h = Vector512.Create(hi);
        var mask = open ? Vector512.GreaterThan(x, l) & Vector512.LessThan(x, h) : Vector512.GreaterThanOrEqual(x, l) & Vector512.LessThanOrEqual(x, h);
        return Vector512.ConditionalSelect(mask, g * scale, Vector512<float>.Zero);
    }
}

internal readonly struct LeakyReluGradOperator(float slope) : IBinaryOperator
{
    public float Invoke(float g, float x) => x > 0f ? g : g * slope;

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, g * slope);

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, g * slope);
}

internal readonly struct EluGradOperator(float alpha) : IBinaryOperator
{
    public float Invoke(float g, float x) => x > 0f ? g : g * alpha * MathF.Exp(x);

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, g * Vector256.Exp(x) * alpha);

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, g * Vector512.Exp(x) * alpha);
}

/// <summary>PyTorch's hardswish backward: 0 for x &lt; -3, g·(x/3 + 0.5) for x ≤ 3, g above.</summary>
internal readonly struct HardswishGradOperator : IBinaryOperator
{
    public float Invoke(float g, float x) => x < -3f ? 0f : (x <= 3f ? g * ((x / 3f) + 0.5f) : g);

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x)
    {
        var mid = g * ((x * (1f / 3f)) + Vector256.Create(0.5f));
        var r = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256.Create(3f)), mid, g);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-3f)), Vector256<float>.Zero, r);
    }

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x)
    {
        var mid = g * ((x * (1f / 3f)) + Vector512.Create(0.5f));
        var r = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512.Create(3f)), mid, g);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-3f)), Vector512<float>.Zero, r);
    }
}

internal readonly struct SiluGradOperator : IBinaryOperator
{
    public float Invoke(float g, float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return g * s * (1f + (x * (1f - s)));
    }

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x)
    {
        var s = Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
        return g * s * (Vector256<float>.One + (x * (Vector256<float>.One - s)));
    }

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x)
    {
        var s = Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
        return g * s * (Vector512<float>.One + (x * (Vector512<float>.One - s)));
    }
}

/// <summary>Exact GELU backward: g · (Φ(x) + x · φ(x)).</summary>
internal readonly struct GeluGradOperator : IBinaryOperator
{
    private const float InvSqrt2 = 0.70710678118654752f;
    private const float InvSqrt2Pi = 0.3989422804014327f;

    public float Invoke(float g, float x)
    {
        var cdf = 0.5f * (1f + ErfApprox.Erf(x * InvSqrt2));
        var pdf = InvSqrt2Pi * MathF.Exp(-0.5f * x * x);
        return g * (cdf + (x * pdf));
    }

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x)
    {
        var cdf = (Vector256<float>.One + ErfApprox.Erf(x * InvSqrt2)) * 0.5f;
        var pdf = Vector256.Exp(x * x * -0.5f) * InvSqrt2Pi;
        return g * (cdf + (x * pdf));
    }

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x)
    {
        var cdf = (Vector512<float>.One + ErfApprox.Erf(x * InvSqrt2)) * 0.5f;
        var pdf = Vector512.Exp(x * x * -0.5f) * InvSqrt2Pi;
        return g * (cdf + (x * pdf));
    }
}

internal readonly struct GeluTanhGradOperator : IBinaryOperator
{
    private const float K = GeluTanhOperator.Kappa;
    private const float C = GeluTanhOperator.Cubic;

    public float Invoke(float g, float x)
    {
        var inner = K * (x + (C * x * x * x));
        var t = MathF.Tanh(inner);
        var dInner = K * (1f + (3f * C * x * x));
        return g * ((0.5f * (1f + t)) + (0.5f * x * (1f - (t * t)) * dInner));
    }

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x)
    {
        var x2 = x * x;
        var t = TanhApprox.Tanh((x + (x2 * x * C)) * K);
        var dInner = (Vector256<float>.One + (x2 * (3f * C))) * K;
        var half = Vector256.Create(0.5f);
        return g * ((half * (Vector256<float>.One + t)) + (half * x * (Vector256<float>.One - (t * t)) * dInner));
    }

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x)
    {
        var x2 = x * x;
        var t = TanhApprox.Tanh((x + (x2 * x * C)) * K);
        var dInner = (Vector512<float>.One + (x2 * (3f * C))) * K;
        var half = Vector512.Create(0.5f);
        return g * ((half * (Vector512<float>.One + t)) + (half * x * (Vector512<float>.One - (t * t)) * dInner));
    }
}

/// <summary>g · y · (1 − y) with saved = sigmoid output.</summary>
internal readonly struct SigmoidGradOperator : IBinaryOperator
{
    public float Invoke(float g, float y) => g * y * (1f - y);

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> y) => g * y * (Vector256<float>.One - y);

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> y) => g * y * (Vector512<float>.One - y);
}

/// <summary>g · (1 − y²) with saved = tanh output.</summary>
internal readonly struct TanhGradOperator : IBinaryOperator
{
    public float Invoke(float g, float y) => g * (1f - (y * y));

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> y) => g * (Vector256<float>.One - (y * y));

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> y) => g * (Vector512<float>.One - (y * y));
}

/// <summary>g · sign(x) (abs backward; 0 at 0, as PyTorch).</summary>
internal readonly struct AbsGradOperator : IBinaryOperator
{
    public float Invoke(float g, float x) => x > 0f ? g : (x < 0f ? -g : 0f);

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g,
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -g, Vector256<float>.Zero));

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g,
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -g, Vector512<float>.Zero));
}

/// <summary>g · beta-softplus'(x) = g · sigmoid(beta·x), or g above the threshold.</summary>
internal readonly struct SoftplusGradOperator(float beta, float threshold) : IBinaryOperator
{
    public float Invoke(float g, float x)
    {
        var bx = beta * x;
        return bx > threshold ? g : g / (1f + MathF.Exp(-bx));
    }

    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> x)
    {
        var bx = x * beta;
        var s = g / (Vector256<float>.One + Vector256.Exp(-bx));
        return Vector256.ConditionalSelect(Vector256.GreaterThan(bx, Vector256.Create(threshold)), g, s);
    }

    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> x)
    {
        var bx = x * beta;
        var s = g / (Vector512<float>.One + Vector512.Exp(-bx));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(bx, Vector512.Create(threshold)), g, s);
    }
}
