using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>Computes this + alpha · other with broadcasting.</summary>
    /// <param name="other">The tensor to add.</param>
    /// <param name="alpha">The multiplier of <paramref name="other"/>.</param>
    /// <returns>The sum.</returns>
    public Tensor Add(Tensor other, float alpha = 1f)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = BinaryKernel(BinaryOp.Add, this, other, alpha);
        if (GradRecorder.Needs(this, other))
        {
            var (sa, sb, ra, rb) = (Shape, other.Shape, RequiresGrad, other.RequiresGrad);
            GradRecorder.Record(result, "AddBackward", [this, other], g =>
            [
                ra ? GradRecorder.SumToShape(g, sa) : null,
                rb ? (alpha == 1f ? GradRecorder.SumToShape(g, sb) : ReduceGrad(g.Mul(alpha), sb)) : null,
            ]);
        }

        return result;
    }

    /// <summary>Adds a scalar.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>The sum.</returns>
    public Tensor Add(float value) => AffineOp(1f, value, "AddBackward");

    /// <summary>Computes this − alpha · other with broadcasting.</summary>
    /// <param name="other">The tensor to subtract.</param>
    /// <param name="alpha">The multiplier of <paramref name="other"/>.</param>
    /// <returns>The difference.</returns>
    public Tensor Sub(Tensor other, float alpha = 1f)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = BinaryKernel(BinaryOp.Sub, this, other, alpha);
        if (GradRecorder.Needs(this, other))
        {
            var (sa, sb, ra, rb) = (Shape, other.Shape, RequiresGrad, other.RequiresGrad);
            GradRecorder.Record(result, "SubBackward", [this, other], g =>
            [
                ra ? GradRecorder.SumToShape(g, sa) : null,
                rb ? ReduceGrad(g.Mul(-alpha), sb) : null,
            ]);
        }

        return result;
    }

    /// <summary>Subtracts a scalar.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>The difference.</returns>
    public Tensor Sub(float value) => AffineOp(1f, -value, "SubBackward");

    /// <summary>Multiplies element-wise with broadcasting.</summary>
    /// <param name="other">The other factor.</param>
    /// <returns>The product.</returns>
    public Tensor Mul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = BinaryKernel(BinaryOp.Mul, this, other);
        if (GradRecorder.Needs(this, other))
        {
            var (a, b, ra, rb) = (this, other, RequiresGrad, other.RequiresGrad);
            GradRecorder.Record(result, "MulBackward", [this, other], g =>
            [
                ra ? MulGrad(g, b, a) : null,
                rb ? MulGrad(g, a, b) : null,
            ], a, b);
        }

        return result;
    }

    /// <summary>Multiplies by a scalar.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>The product.</returns>
    public Tensor Mul(float value) => AffineOp(value, 0f, "MulBackward");

    /// <summary>
    /// The gradient of one factor of a product: g·other reduced to the factor's shape. A one-element factor broadcast over a
    /// full-size other (a mixing weight times an op output) gets Σ g·other from one fused dot product, without a temporary.
    /// </summary>
    private static Tensor MulGrad(Tensor g, Tensor other, Tensor factor)
    {
        if (factor._numel == 1 && other.ShapeSpan.SequenceEqual(g.ShapeSpan))
        {
            using var gc = g.AsContiguous();
            using var oc = other.AsContiguous();
            return Full(factor._shape, (float)g.Backend.Dot(gc.Tensor, oc.Tensor));
        }

        return ReduceGrad(BinaryKernel(BinaryOp.Mul, g, other), factor.Shape);
    }

    /// <summary>Divides element-wise with broadcasting.</summary>
    /// <param name="other">The divisor.</param>
    /// <returns>The quotient.</returns>
    public Tensor Div(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = BinaryKernel(BinaryOp.Div, this, other);
        if (GradRecorder.Needs(this, other))
        {
            var (sa, b, ra, rb) = (Shape, other, RequiresGrad, other.RequiresGrad);
            GradRecorder.Record(result, "DivBackward", [this, other], g =>
            {
                using var gOverB = BinaryKernel(BinaryOp.Div, g, b);
                Tensor? gb = null;
                if (rb)
                {
                    // d(a/b)/db = -a/b² = -(a/b)/b; with (g/b) already computed: -(g/b)·result
                    using var prod = BinaryKernel(BinaryOp.Mul, gOverB, result);
                    gb = ReduceGrad(prod.Neg(), b.Shape);
                }

                return [ra ? GradRecorder.SumToShape(gOverB, sa) : null, gb];
            }, b, result);
        }

        return result;
    }

    /// <summary>Divides by a scalar.</summary>
    /// <param name="value">The divisor.</param>
    /// <returns>The quotient.</returns>
    public Tensor Div(float value)
    {
        using var s = ScalarTensor(value);
        var result = BinaryKernel(BinaryOp.Div, this, s);
        if (GradRecorder.Needs(this))
        {
            GradRecorder.Record(result, "DivBackward", this, g => g.Div(value));
        }

        return result;
    }

    /// <summary>Negates every element.</summary>
    /// <returns>The negation.</returns>
    public Tensor Neg()
    {
        var result = UnaryKernel(UnaryOp.Neg);
        if (GradRecorder.Needs(this))
        {
            GradRecorder.Record(result, "NegBackward", this, g => g.UnaryKernel(UnaryOp.Neg));
        }

        return result;
    }

    /// <summary>Raises every element to a scalar power.</summary>
    /// <param name="exponent">The exponent.</param>
    /// <returns>The power.</returns>
    public Tensor Pow(float exponent) => exponent switch
    {
        1f => Mul(1f),
        2f => UnaryWithGrad(UnaryOp.Square, "PowBackward", saveOutput: false),
        _ => UnaryWithGrad(UnaryOp.Pow, "PowBackward", saveOutput: false, exponent),
    };

    /// <summary>Raises every element to the power given element-wise by <paramref name="exponent"/> (broadcasting).</summary>
    /// <param name="exponent">The exponents.</param>
    /// <returns>The power.</returns>
    public Tensor Pow(Tensor exponent)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        var result = BinaryKernel(BinaryOp.Pow, this, exponent);
        if (GradRecorder.Needs(this, exponent))
        {
            var (a, b, ra, rb) = (this, exponent, RequiresGrad, exponent.RequiresGrad);
            GradRecorder.Record(result, "PowBackward", [this, exponent], g =>
            {
                Tensor? ga = null, gb = null;
                if (ra)
                {
                    // b · a^(b-1) · g
                    using var bm1 = b.Sub(1f);
                    using var p = BinaryKernel(BinaryOp.Pow, a, bm1);
                    using var t = BinaryKernel(BinaryOp.Mul, p, b);
                    ga = ReduceGrad(BinaryKernel(BinaryOp.Mul, t, g), a.Shape);
                }

                if (rb)
                {
                    using var lg = a.UnaryKernel(UnaryOp.Log);
                    using var t = BinaryKernel(BinaryOp.Mul, result, lg);
                    gb = ReduceGrad(BinaryKernel(BinaryOp.Mul, t, g), b.Shape);
                }

                return [ga, gb];
            }, a, b, result);
        }

        return result;
    }

    /// <summary>Computes the element-wise maximum with broadcasting (NaN propagates; ties split the gradient equally, as PyTorch).</summary>
    /// <param name="other">The other tensor.</param>
    /// <returns>The maximum.</returns>
    public Tensor Maximum(Tensor other) => MinMax(other, BinaryOp.Maximum, BinaryOp.Gt, "MaximumBackward");

    /// <summary>Computes the element-wise minimum with broadcasting (NaN propagates; ties split the gradient equally).</summary>
    /// <param name="other">The other tensor.</param>
    /// <returns>The minimum.</returns>
    public Tensor Minimum(Tensor other) => MinMax(other, BinaryOp.Minimum, BinaryOp.Lt, "MinimumBackward");

    private Tensor MinMax(Tensor other, BinaryOp op, BinaryOp wins, string name)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = BinaryKernel(op, this, other);
        if (GradRecorder.Needs(this, other))
        {
            var (a, b, ra, rb) = (this, other, RequiresGrad, other.RequiresGrad);
            GradRecorder.Record(result, name, [this, other], g =>
            {
                // weight of a = 1 where a wins, 0.5 on ties, 0 where b wins
                using var win = BinaryKernel(wins, a, b);
                using var tie = BinaryKernel(BinaryOp.Eq, a, b);
                using var wa = BinaryKernel(BinaryOp.Add, win, tie, 0.5f);
                Tensor? ga = null, gb = null;
                if (ra)
                {
                    ga = ReduceGrad(BinaryKernel(BinaryOp.Mul, g, wa), a.Shape);
                }

                if (rb)
                {
                    using var wb = wa.AffineKernel(-1f, 1f);
                    gb = ReduceGrad(BinaryKernel(BinaryOp.Mul, g, wb), b.Shape);
                }

                return [ga, gb];
            }, a, b);
        }

        return result;
    }

    /// <summary>Computes exp(x).</summary>
    /// <returns>The result.</returns>
    public Tensor Exp() => UnaryWithGrad(UnaryOp.Exp, "ExpBackward", saveOutput: true);

    /// <summary>Computes the natural logarithm.</summary>
    /// <returns>The result.</returns>
    public Tensor Log() => UnaryWithGrad(UnaryOp.Log, "LogBackward", saveOutput: false);

    /// <summary>Computes log(1 + x), accurately for small x.</summary>
    /// <returns>The result.</returns>
    public Tensor Log1p() => UnaryWithGrad(UnaryOp.Log1p, "Log1pBackward", saveOutput: false);

    /// <summary>Computes exp(x) − 1, accurately for small x.</summary>
    /// <returns>The result.</returns>
    public Tensor Expm1() => UnaryWithGrad(UnaryOp.Expm1, "Expm1Backward", saveOutput: true);

    /// <summary>Computes the square root.</summary>
    /// <returns>The result.</returns>
    public Tensor Sqrt() => UnaryWithGrad(UnaryOp.Sqrt, "SqrtBackward", saveOutput: true);

    /// <summary>Computes 1 / √x.</summary>
    /// <returns>The result.</returns>
    public Tensor Rsqrt() => UnaryWithGrad(UnaryOp.Rsqrt, "RsqrtBackward", saveOutput: true);

    /// <summary>Computes |x| (gradient 0 at 0, as PyTorch).</summary>
    /// <returns>The result.</returns>
    public Tensor Abs() => UnaryWithGrad(UnaryOp.Abs, "AbsBackward", saveOutput: false);

    /// <summary>Computes x².</summary>
    /// <returns>The result.</returns>
    public Tensor Square() => UnaryWithGrad(UnaryOp.Square, "SquareBackward", saveOutput: false);

    /// <summary>Computes 1 / x.</summary>
    /// <returns>The result.</returns>
    public Tensor Reciprocal() => UnaryWithGrad(UnaryOp.Reciprocal, "ReciprocalBackward", saveOutput: true);

    /// <summary>Computes sin(x).</summary>
    /// <returns>The result.</returns>
    public Tensor Sin() => UnaryWithGrad(UnaryOp.Sin, "SinBackward", saveOutput: false);

    /// <summary>Computes cos(x).</summary>
    /// <returns>The result.</returns>
    public Tensor Cos() => UnaryWithGrad(UnaryOp.Cos, "CosBackward", saveOutput: false);

    /// <summary>Computes the logistic sigmoid 1 / (1 + exp(−x)).</summary>
    /// <returns>The result.</returns>
    public Tensor Sigmoid() => UnaryWithGrad(UnaryOp.Sigmoid, "SigmoidBackward", saveOutput: true);

    /// <summary>Computes tanh(x).</summary>
    /// <returns>The result.</returns>
    public Tensor Tanh() => UnaryWithGrad(UnaryOp.Tanh, "TanhBackward", saveOutput: true);

    /// <summary>Computes max(x, 0) (NaN propagates).</summary>
    /// <returns>The result.</returns>
    public Tensor Relu() => UnaryWithGrad(UnaryOp.Relu, "ReluBackward", saveOutput: true);

    /// <summary>Clamps every element to [<paramref name="min"/>, <paramref name="max"/>]; a null bound is open. The gradient passes where min ≤ x ≤ max.</summary>
    /// <param name="min">The lower bound, or null.</param>
    /// <param name="max">The upper bound, or null.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">Both bounds are null, or min &gt; max.</exception>
    public Tensor Clamp(float? min = null, float? max = null)
    {
        if (min is null && max is null)
        {
            Internal.ThrowHelper.ThrowArgument("Clamp needs at least one of min and max.");
        }

        if (min > max)
        {
            Internal.ThrowHelper.ThrowArgument($"'min <= max' must hold, but got min={min}, max={max}.");
        }

        return UnaryWithGrad(UnaryOp.Clamp, "ClampBackward", saveOutput: false, min ?? float.NaN, max ?? float.NaN);
    }

    /// <summary>Computes the sign (−1, 0 or 1; NaN stays NaN). Its gradient is zero.</summary>
    /// <returns>The result.</returns>
    public Tensor Sign() => ZeroGradUnary(UnaryOp.Sign, "SignBackward");

    /// <summary>Rounds down. Its gradient is zero.</summary>
    /// <returns>The result.</returns>
    public Tensor Floor() => ZeroGradUnary(UnaryOp.Floor, "FloorBackward");

    /// <summary>Rounds up. Its gradient is zero.</summary>
    /// <returns>The result.</returns>
    public Tensor Ceil() => ZeroGradUnary(UnaryOp.Ceil, "CeilBackward");

    /// <summary>Rounds half to even, as PyTorch. Its gradient is zero.</summary>
    /// <returns>The result.</returns>
    public Tensor Round() => ZeroGradUnary(UnaryOp.Round, "RoundBackward");

    private Tensor ZeroGradUnary(UnaryOp op, string name)
    {
        var result = UnaryKernel(op);
        if (GradRecorder.Needs(this))
        {
            var shape = Shape;
            GradRecorder.Record(result, name, this, _ => Zeros(shape));
        }

        return result;
    }

    /// <summary>Computes scale · x + shift without autograd.</summary>
    internal Tensor AffineKernel(float scale, float shift) => UnaryKernel(UnaryOp.Affine, scale, shift);

    private Tensor AffineOp(float scale, float shift, string name)
    {
        var result = AffineKernel(scale, shift);
        if (GradRecorder.Needs(this))
        {
            GradRecorder.Record(result, name, this, g => scale == 1f ? g.Alias() : g.AffineKernel(scale, 0f));
        }

        return result;
    }

    /// <summary>Adds two tensors.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The sum.</returns>
    public static Tensor operator +(Tensor a, Tensor b) => NotNull(a).Add(b);

    /// <summary>Adds a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The sum.</returns>
    public static Tensor operator +(Tensor a, float b) => NotNull(a).Add(b);

    /// <summary>Adds a scalar.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The sum.</returns>
    public static Tensor operator +(float a, Tensor b) => NotNull(b).Add(a);

    /// <summary>Subtracts two tensors.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The difference.</returns>
    public static Tensor operator -(Tensor a, Tensor b) => NotNull(a).Sub(b);

    /// <summary>Subtracts a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The difference.</returns>
    public static Tensor operator -(Tensor a, float b) => NotNull(a).Sub(b);

    /// <summary>Subtracts a tensor from a scalar.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The difference.</returns>
    public static Tensor operator -(float a, Tensor b) => NotNull(b).AffineOp(-1f, a, "RSubBackward");

    /// <summary>Negates a tensor.</summary>
    /// <param name="a">The tensor.</param>
    /// <returns>The negation.</returns>
    public static Tensor operator -(Tensor a) => NotNull(a).Neg();

    /// <summary>Multiplies element-wise.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The product.</returns>
    public static Tensor operator *(Tensor a, Tensor b) => NotNull(a).Mul(b);

    /// <summary>Multiplies by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The product.</returns>
    public static Tensor operator *(Tensor a, float b) => NotNull(a).Mul(b);

    /// <summary>Multiplies by a scalar.</summary>
    /// <param name="a">The scalar.</param>
    /// <param name="b">The tensor.</param>
    /// <returns>The product.</returns>
    public static Tensor operator *(float a, Tensor b) => NotNull(b).Mul(a);

    /// <summary>Divides element-wise.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The quotient.</returns>
    public static Tensor operator /(Tensor a, Tensor b) => NotNull(a).Div(b);

    /// <summary>Divides by a scalar.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The quotient.</returns>
    public static Tensor operator /(Tensor a, float b) => NotNull(a).Div(b);

    /// <summary>Divides a scalar by a tensor.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The quotient.</returns>
    public static Tensor operator /(float a, Tensor b)
    {
        using var s = ScalarTensor(a);
        return s.Div(NotNull(b));
    }
}
