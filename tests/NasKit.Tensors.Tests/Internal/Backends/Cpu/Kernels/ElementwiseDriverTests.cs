using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu.Kernels;

/// <summary>
/// The element-wise drivers and operator structs (ElementwiseDriver.cs, *Operators.cs): every length 0..256 against the
/// operator's scalar Invoke, NaN/±∞ injected into the vector body and the tail, and the scalar Invoke itself against
/// double-precision formulas.
/// </summary>
public class ElementwiseDriverTests
{
    private const double Rtol = 1e-5;
    private const double Atol = 1e-6;
    private const float Sentinel = -777f;

    private static readonly string[] s_unaryOps =
    [
        "Relu", "Clamp", "Relu6", "LeakyRelu", "Elu", "Hardsigmoid", "Hardswish", "Silu", "Gelu", "GeluTanh", "Affine", "Square", "Sign", "Softplus",
    ];

    private static readonly string[] s_binaryOps =
    [
        "Eq", "Ne", "Lt", "Le", "Gt", "Ge", "Axpy", "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow",
        "ReluGrad", "RangeGradClosed", "RangeGradOpen", "LeakyReluGrad", "EluGrad", "HardswishGrad", "SiluGrad", "GeluGrad", "GeluTanhGrad",
        "SigmoidGrad", "TanhGrad", "AbsGrad", "SoftplusGrad",
    ];

    private static readonly float[] s_specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    // ---- length sweeps -------------------------------------------------------------------------------------

    [TestCaseSource(nameof(s_unaryOps))]
    public void Unary_EveryLength0To256_MatchesScalarInvoke(string op) => WithUnary(op, new UnarySweep());

    [TestCaseSource(nameof(s_binaryOps))]
    public void Binary_EveryLength0To256_MatchesScalarInvoke(string op) => WithBinary(op, new BinarySweep());

    [TestCaseSource(nameof(s_binaryOps))]
    public void BinaryScalarRightAndLeft_EveryLength0To256_MatchScalarInvoke(string op) => WithBinary(op, new BinaryScalarSweep());

    [TestCaseSource(nameof(s_unaryOps))]
    public void Unary_NaNAndInfinityInBodyAndTail_MatchScalarInvoke(string op) => WithUnary(op, new UnarySpecials());

    [TestCaseSource(nameof(s_binaryOps))]
    public void Binary_NaNAndInfinityInBodyAndTail_MatchScalarInvoke(string op) => WithBinary(op, new BinarySpecials());

    [TestCaseSource(nameof(s_unaryOps))]
    public void Unary_InPlace_MatchesOutOfPlace(string op) => WithUnary(op, new UnaryInPlace());

    // ---- scalar Invoke against double-precision formulas ---------------------------------------------------

    [TestCaseSource(nameof(s_unaryOps))]
    public void UnaryInvoke_ScalarPath_MatchesDoublePrecisionFormula(string op) => WithUnary(op, new UnaryFormula(op));

    [TestCaseSource(nameof(s_binaryOps))]
    public void BinaryInvoke_ScalarPath_MatchesDoublePrecisionFormula(string op) => WithBinary(op, new BinaryFormula(op));

    [Test]
    public void Erf_MinusFourToFour_MatchesSeriesReference()
    {
        for (var x = -4.0; x <= 4.0; x += 0.01)
        {
            Assert.That(ErfApprox.Erf((float)x), Is.EqualTo(Erf(x)).Within(3e-7), $"x = {x}");
        }

        Assert.That(float.IsNaN(ErfApprox.Erf(float.NaN)), Is.True);
    }

    // ---- dispatch ------------------------------------------------------------------------------------------

    private static void WithUnary(string op, IUnaryVisitor visitor)
    {
        switch (op)
        {
            case "Relu": visitor.Visit(new ReluOperator(), -3f, 3f); break;
            case "Clamp": visitor.Visit(new ClampOperator(-0.5f, 1.5f), -3f, 3f); break;
            case "Relu6": visitor.Visit(new ClampOperator(0f, 6f), -3f, 9f); break;
            case "LeakyRelu": visitor.Visit(new LeakyReluOperator(0.1f), -3f, 3f); break;
            case "Elu": visitor.Visit(new EluOperator(0.7f), -5f, 3f); break;
            case "Hardsigmoid": visitor.Visit(new HardsigmoidOperator(), -5f, 5f); break;
            case "Hardswish": visitor.Visit(new HardswishOperator(), -5f, 5f); break;
            case "Silu": visitor.Visit(new SiluOperator(), -8f, 8f); break;
            case "Gelu": visitor.Visit(new GeluOperator(), -5f, 5f); break;
            case "GeluTanh": visitor.Visit(new GeluTanhOperator(), -5f, 5f); break;
            case "Affine": visitor.Visit(new AffineOperator(-1.5f, 0.25f), -3f, 3f); break;
            case "Square": visitor.Visit(new SquareOperator(), -3f, 3f); break;
            case "Sign": visitor.Visit(new SignOperator(), -3f, 3f); break;
            case "Softplus": visitor.Visit(new SoftplusOperator(2f, 6f), -6f, 6f); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op");
        }
    }

    private static void WithBinary(string op, IBinaryVisitor visitor)
    {
        switch (op)
        {
            case "Eq": visitor.Visit(new EqOperator(), -2f, 2f); break;
            case "Ne": visitor.Visit(new NeOperator(), -2f, 2f); break;
            case "Lt": visitor.Visit(new LtOperator(), -2f, 2f); break;
            case "Le": visitor.Visit(new LeOperator(), -2f, 2f); break;
            case "Gt": visitor.Visit(new GtOperator(), -2f, 2f); break;
            case "Ge": visitor.Visit(new GeOperator(), -2f, 2f); break;
            case "Axpy": visitor.Visit(new AxpyOperator(-0.75f), -2f, 2f); break;
            case "Add": visitor.Visit(new AddOperator(), -2f, 2f); break;
            case "Sub": visitor.Visit(new SubOperator(), -2f, 2f); break;
            case "Mul": visitor.Visit(new MulOperator(), -2f, 2f); break;
            case "Div": visitor.Visit(new DivOperator(), 0.25f, 2f); break;
            case "Max": visitor.Visit(new MaxOperator(), -2f, 2f); break;
            case "Min": visitor.Visit(new MinOperator(), -2f, 2f); break;
            case "Pow": visitor.Visit(new PowOperator(), 0.25f, 2f); break;
            case "ReluGrad": visitor.Visit(new ReluGradOperator(), -2f, 2f); break;
            case "RangeGradClosed": visitor.Visit(new RangeGradOperator(-1f, 1f, open: false, 1f), -2f, 2f); break;
            case "RangeGradOpen": visitor.Visit(new RangeGradOperator(-1f, 1f, open: true, 0.5f), -2f, 2f); break;
            case "LeakyReluGrad": visitor.Visit(new LeakyReluGradOperator(0.2f), -2f, 2f); break;
            case "EluGrad": visitor.Visit(new EluGradOperator(1.3f), -4f, 2f); break;
            case "HardswishGrad": visitor.Visit(new HardswishGradOperator(), -5f, 5f); break;
            case "SiluGrad": visitor.Visit(new SiluGradOperator(), -6f, 6f); break;
            case "GeluGrad": visitor.Visit(new GeluGradOperator(), -5f, 5f); break;
            case "GeluTanhGrad": visitor.Visit(new GeluTanhGradOperator(), -5f, 5f); break;
            case "SigmoidGrad": visitor.Visit(new SigmoidGradOperator(), 0f, 1f); break;
            case "TanhGrad": visitor.Visit(new TanhGradOperator(), -1f, 1f); break;
            case "AbsGrad": visitor.Visit(new AbsGradOperator(), -2f, 2f); break;
            case "SoftplusGrad": visitor.Visit(new SoftplusGradOperator(2f, 6f), -6f, 6f); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op");
        }
    }

    private interface IUnaryVisitor
    {
        void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IUnaryOperator;
    }

    private interface IBinaryVisitor
    {
        void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IBinaryOperator;
    }

    // ---- visitors ------------------------------------------------------------------------------------------

    private sealed class UnarySweep : IUnaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IUnaryOperator
        {
            for (var n = 0; n <= 256; n++)
            {
                var x = TestData.Uniform(n, n, low, high);
                var buffer = new float[n + 17];
                Array.Fill(buffer, Sentinel);
                ElementwiseDriver.Unary(op, x, buffer.AsSpan(0, n));
                for (var i = 0; i < n; i++)
                {
                    AssertClose(buffer[i], op.Invoke(x[i]), n, i, x[i]);
                }

                Assert.That(buffer.Skip(n), Is.All.EqualTo(Sentinel), $"length {n}: written past the destination");
            }
        }
    }

    private sealed class UnaryInPlace : IUnaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IUnaryOperator
        {
            foreach (var n in new[] { 1, 15, 16, 17, 33, 100 })
            {
                var x = TestData.Uniform(n + 1000, n, low, high);
                var outOfPlace = new float[n];
                ElementwiseDriver.Unary(op, x, outOfPlace);
                var inPlace = (float[])x.Clone();
                ElementwiseDriver.Unary(op, inPlace, inPlace);
                Assert.That(inPlace, Is.EqualTo(outOfPlace), $"length {n}");
            }
        }
    }

    private sealed class UnarySpecials : IUnaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IUnaryOperator
        {
            foreach (var n in new[] { 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100 })
            {
                foreach (var special in s_specials)
                {
                    var x = TestData.Uniform(n + 2000, n, low, high);
                    foreach (var p in new[] { 0, n / 2, n - 1 })
                    {
                        x[p] = special;
                    }

                    var d = new float[n];
                    ElementwiseDriver.Unary(op, x, d);
                    for (var i = 0; i < n; i++)
                    {
                        AssertClose(d[i], op.Invoke(x[i]), n, i, x[i]);
                    }
                }
            }
        }
    }

    private sealed class BinarySweep : IBinaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IBinaryOperator
        {
            for (var n = 0; n <= 256; n++)
            {
                var x = TestData.Uniform(n, n, low, high);
                var y = TestData.Uniform(n + 500, n, low, high);
                for (var i = 0; i < n; i += 5)
                {
                    y[i] = x[i]; // ties for comparisons and max/min
                }

                var buffer = new float[n + 17];
                Array.Fill(buffer, Sentinel);
                ElementwiseDriver.Binary(op, x, y, buffer.AsSpan(0, n));
                for (var i = 0; i < n; i++)
                {
                    AssertClose(buffer[i], op.Invoke(x[i], y[i]), n, i, x[i], y[i]);
                }

                Assert.That(buffer.Skip(n), Is.All.EqualTo(Sentinel), $"length {n}: written past the destination");
            }
        }
    }

    private sealed class BinaryScalarSweep : IBinaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IBinaryOperator
        {
            for (var n = 0; n <= 256; n++)
            {
                var x = TestData.Uniform(n, n, low, high);
                var s = TestData.Uniform(n + 900, 1, low, high)[0];
                var right = new float[n];
                var left = new float[n];
                ElementwiseDriver.BinaryScalarRight(op, x, s, right);
                ElementwiseDriver.BinaryScalarLeft(op, s, x, left);
                for (var i = 0; i < n; i++)
                {
                    AssertClose(right[i], op.Invoke(x[i], s), n, i, x[i], s);
                    AssertClose(left[i], op.Invoke(s, x[i]), n, i, s, x[i]);
                }
            }
        }
    }

    private sealed class BinarySpecials : IBinaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IBinaryOperator
        {
            foreach (var n in new[] { 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100 })
            {
                foreach (var special in s_specials)
                {
                    var x = TestData.Uniform(n + 3000, n, low, high);
                    var y = TestData.Uniform(n + 4000, n, low, high);
                    x[0] = special;
                    y[n / 2] = special;
                    x[n - 1] = special;
                    y[n - 1] = special;
                    var d = new float[n];
                    ElementwiseDriver.Binary(op, x, y, d);
                    for (var i = 0; i < n; i++)
                    {
                        AssertClose(d[i], op.Invoke(x[i], y[i]), n, i, x[i], y[i]);
                    }
                }
            }
        }
    }

    private sealed class UnaryFormula(string name) : IUnaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IUnaryOperator
        {
            foreach (var x in TestData.Uniform(77, 400, low, high))
            {
                var expected = UnaryReference(name, x);
                Assert.That(TensorAssert.IsClose(op.Invoke(x), expected, 2e-5, 2e-6), Is.True, $"{name}({x}) = {op.Invoke(x)}, expected {expected}");
            }
        }
    }

    private sealed class BinaryFormula(string name) : IBinaryVisitor
    {
        public void Visit<TOp>(TOp op, float low, float high)
            where TOp : struct, IBinaryOperator
        {
            var xs = TestData.Uniform(78, 400, low, high);
            var ys = TestData.Uniform(79, 400, low, high);
            for (var i = 0; i < xs.Length; i++)
            {
                var (x, y) = (xs[i], ys[i]);
                var expected = BinaryReference(name, x, y);
                // The absolute tolerance scales with the first argument: for the gradient kernels that is the incoming gradient.
                var atol = 2e-6 * Math.Max(1, Math.Abs(x));
                Assert.That(TensorAssert.IsClose(op.Invoke(x, y), expected, 2e-5, atol), Is.True, $"{name}({x}, {y}) = {op.Invoke(x, y)}, expected {expected}");
            }
        }
    }

    // ---- references ----------------------------------------------------------------------------------------

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Softplus(double x, double beta, double threshold) => beta * x > threshold ? x : Math.Log(1 + Math.Exp(beta * x)) / beta;

    private static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + (0.044715 * x * x * x))));

    private static double UnaryReference(string op, double x) => op switch
    {
        "Relu" => Math.Max(x, 0),
        "Clamp" => Math.Clamp(x, -0.5, 1.5),
        "Relu6" => Math.Clamp(x, 0, 6),
        "LeakyRelu" => x > 0 ? x : 0.1 * x,
        "Elu" => x > 0 ? x : 0.7 * (Math.Exp(x) - 1),
        "Hardsigmoid" => Math.Clamp((x / 6) + 0.5, 0, 1),
        "Hardswish" => x * Math.Clamp((x / 6) + 0.5, 0, 1),
        "Silu" => x * Sigmoid(x),
        "Gelu" => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        "GeluTanh" => GeluTanh(x),
        "Affine" => (-1.5 * x) + 0.25,
        "Square" => x * x,
        "Sign" => Math.Sign(x),
        "Softplus" => Softplus(x, 2, 6),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
    };

    private static double BinaryReference(string op, double x, double y)
    {
        // Derivatives of the forward functions, times the incoming gradient g = x (the second argument is the saved value).
        const double H = 1e-6;
        double Numeric(Func<double, double> f) => (f(y + H) - f(y - H)) / (2 * H);
        return op switch
        {
            "Eq" => x == y ? 1 : 0,
            "Ne" => x != y ? 1 : 0,
            "Lt" => x < y ? 1 : 0,
            "Le" => x <= y ? 1 : 0,
            "Gt" => x > y ? 1 : 0,
            "Ge" => x >= y ? 1 : 0,
            "Axpy" => x + (-0.75 * y),
            "Add" => x + y,
            "Sub" => x - y,
            "Mul" => x * y,
            "Div" => x / y,
            "Max" => Math.Max(x, y),
            "Min" => Math.Min(x, y),
            "Pow" => Math.Pow(x, y),
            "ReluGrad" => y > 0 ? x : 0,
            "RangeGradClosed" => y >= -1 && y <= 1 ? x : 0,
            "RangeGradOpen" => y > -1 && y < 1 ? 0.5 * x : 0,
            "LeakyReluGrad" => y > 0 ? x : 0.2 * x,
            "EluGrad" => y > 0 ? x : x * 1.3 * Math.Exp(y),
            "HardswishGrad" => y < -3 ? 0 : (y <= 3 ? x * ((y / 3) + 0.5) : x),
            "SiluGrad" => x * Numeric(v => v * Sigmoid(v)),
            "GeluGrad" => x * Numeric(v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))),
            "GeluTanhGrad" => x * Numeric(GeluTanh),
            "SigmoidGrad" => x * y * (1 - y),
            "TanhGrad" => x * (1 - (y * y)),
            "AbsGrad" => x * Math.Sign(y),
            "SoftplusGrad" => x * Numeric(v => Softplus(v, 2, 6)),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
        };
    }

    /// <summary>erf by its Maclaurin series in double (about 1e-9 accurate for |x| ≤ 4), independent of the engine's approximation.</summary>
    private static double Erf(double x)
    {
        if (Math.Abs(x) > 5.5)
        {
            return Math.Sign(x);
        }

        double sum = 0, term = x;
        for (var n = 0; n < 200; n++)
        {
            sum += term / ((2 * n) + 1);
            term *= -x * x / (n + 1);
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static void AssertClose(float actual, float expected, int length, int index, params float[] inputs)
    {
        // Vector and scalar code may differ by a few ulps of the operands (FMA, vector exp/tanh); scale the absolute
        // tolerance with the largest finite input so that gradient kernels (g · f'(x)) are judged relative to g.
        var scale = inputs.Where(float.IsFinite).Select(Math.Abs).DefaultIfEmpty(0f).Max();
        if (!TensorAssert.IsClose(actual, expected, Rtol, Atol * Math.Max(1, scale)))
        {
            Assert.Fail($"length {length}, element {index}, inputs ({string.Join(", ", inputs)}): vector path gave {actual}, scalar Invoke gave {expected}");
        }
    }
}
