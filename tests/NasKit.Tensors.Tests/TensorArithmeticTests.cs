using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests;

/// <summary>Forward values and gradients of the arithmetic and unary math ops in Tensor.Arithmetic.cs.</summary>
public class TensorArithmeticTests
{
    private static readonly object[] s_broadcastPairs =
    [
        new object[] { new[] { 3, 4 }, new[] { 3, 4 } },
        new object[] { new[] { 3, 4 }, new[] { 4 } },
        new object[] { new[] { 4 }, new[] { 3, 4 } },
        new object[] { new[] { 3, 1 }, new[] { 1, 4 } },
        new object[] { new[] { 2, 3, 4 }, new[] { 3, 1 } },
        new object[] { new[] { 1, 3, 1 }, new[] { 2, 1, 4 } },
        new object[] { Array.Empty<int>(), new[] { 2, 3 } },
        new object[] { new[] { 2, 3 }, Array.Empty<int>() },
        new object[] { new[] { 1 }, new[] { 5 } },
        new object[] { new[] { 5 }, new[] { 1 } },
    ];

    // ---- forward values ------------------------------------------------------------------------------------

    [Test]
    public void Add_BroadcastRowAndColumn_MatchesHandComputedSums()
    {
        using var col = Tensor.FromArray([1f, 2f, 3f], 3, 1);
        using var row = Tensor.FromArray([10f, 20f], 1, 2);
        using var sum = col.Add(row, alpha: 2f);
        TensorAssert.Close(sum, [3, 2], [21f, 41f, 22f, 42f, 23f, 43f]);
    }

    [Test]
    public void Operators_ScalarOnEitherSide_MatchNamedMethods()
    {
        using var x = Tensor.FromArray([1f, -2f, 4f]);
        using var rsub = 10f - x;
        using var rdiv = 8f / x;
        using var neg = -x;
        using var mul = 3f * x;
        using var sub = x - 1f;
        Assert.Multiple(() =>
        {
            Assert.That(rsub.ToArray(), Is.EqualTo(new[] { 9f, 12f, 6f }));
            Assert.That(rdiv.ToArray(), Is.EqualTo(new[] { 8f, -4f, 2f }));
            Assert.That(neg.ToArray(), Is.EqualTo(new[] { -1f, 2f, -4f }));
            Assert.That(mul.ToArray(), Is.EqualTo(new[] { 3f, -6f, 12f }));
            Assert.That(sub.ToArray(), Is.EqualTo(new[] { 0f, -3f, 3f }));
        });
    }

    [TestCase("Exp")]
    [TestCase("Log")]
    [TestCase("Sqrt")]
    [TestCase("Rsqrt")]
    [TestCase("Abs")]
    [TestCase("Square")]
    [TestCase("Reciprocal")]
    [TestCase("Sin")]
    [TestCase("Cos")]
    [TestCase("Log1p")]
    [TestCase("Expm1")]
    [TestCase("Sigmoid")]
    [TestCase("Tanh")]
    [TestCase("Relu")]
    [TestCase("Neg")]
    public void UnaryMath_ValuesOverARange_MatchDoublePrecisionMath(string op)
    {
        // 37 values (vector body and scalar tail) in (0.05, 3) for the ops with restricted domains, (-3, 3) otherwise.
        var positive = op is "Log" or "Sqrt" or "Rsqrt";
        var values = TestData.Uniform(11, 37, positive ? 0.05f : -3f, 3f);
        using var x = Tensor.FromArray(values);
        using var y = Apply(op, x);
        var expected = values.Select(v => (float)Reference(op, v)).ToArray();
        TensorAssert.Close(y.ToArray(), expected, rtol: 2e-6, atol: 2e-7, context: op);
    }

    [Test]
    public void RoundingOps_HalfwayAndSignedValues_MatchMathWithHalfToEven()
    {
        using var x = Tensor.FromArray([-2.5f, -1.5f, -0.5f, 0f, 0.5f, 1.5f, 2.5f, 1.2f, -1.7f]);
        using var sign = x.Sign();
        using var floor = x.Floor();
        using var ceil = x.Ceil();
        using var round = x.Round();
        Assert.Multiple(() =>
        {
            Assert.That(sign.ToArray(), Is.EqualTo(new[] { -1f, -1f, -1f, 0f, 1f, 1f, 1f, 1f, -1f }));
            Assert.That(floor.ToArray(), Is.EqualTo(new[] { -3f, -2f, -1f, 0f, 0f, 1f, 2f, 1f, -2f }));
            Assert.That(ceil.ToArray(), Is.EqualTo(new[] { -2f, -1f, -0f, 0f, 1f, 2f, 3f, 2f, -1f }));
            Assert.That(round.ToArray(), Is.EqualTo(new[] { -2f, -2f, -0f, 0f, 0f, 2f, 2f, 1f, -2f }));
        });
    }

    [Test]
    public void Sign_Infinities_GiveUnitSignsAndNaNStaysNaN()
    {
        // 20 elements so that the values sit in the vectorised body as well as in the scalar tail.
        var values = new float[20];
        values[0] = float.PositiveInfinity;
        values[1] = float.NegativeInfinity;
        values[2] = float.NaN;
        values[17] = float.PositiveInfinity;
        values[18] = float.NegativeInfinity;
        values[19] = float.NaN;
        using var x = Tensor.FromArray(values);
        using var s = x.Sign();
        var r = s.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(r[0], Is.EqualTo(1f));
            Assert.That(r[1], Is.EqualTo(-1f));
            Assert.That(r[2], Is.NaN);
            Assert.That(r[17], Is.EqualTo(1f));
            Assert.That(r[18], Is.EqualTo(-1f));
            Assert.That(r[19], Is.NaN);
        });
    }

    [Test]
    public void MaximumMinimum_NaNOperand_PropagatesNaN()
    {
        using var a = Tensor.FromArray([1f, float.NaN, 3f]);
        using var b = Tensor.FromArray([float.NaN, 2f, 1f]);
        using var max = a.Maximum(b);
        using var min = a.Minimum(b);
        Assert.Multiple(() =>
        {
            Assert.That(max.ToArray()[0], Is.NaN);
            Assert.That(max.ToArray()[1], Is.NaN);
            Assert.That(max.ToArray()[2], Is.EqualTo(3f));
            Assert.That(min.ToArray()[2], Is.EqualTo(1f));
            Assert.That(min.ToArray()[0], Is.NaN);
        });
    }

    [Test]
    public void Clamp_OneSidedAndTwoSided_ClampsAndKeepsNaN()
    {
        using var x = Tensor.FromArray([-3f, -0.5f, 0.25f, 2f, float.NaN]);
        using var lo = x.Clamp(min: -1f);
        using var hi = x.Clamp(max: 1f);
        using var both = x.Clamp(-1f, 1f);
        Assert.Multiple(() =>
        {
            Assert.That(lo.ToArray(), Is.EqualTo(new[] { -1f, -0.5f, 0.25f, 2f, float.NaN }));
            Assert.That(hi.ToArray(), Is.EqualTo(new[] { -3f, -0.5f, 0.25f, 1f, float.NaN }));
            Assert.That(both.ToArray(), Is.EqualTo(new[] { -1f, -0.5f, 0.25f, 1f, float.NaN }));
        });
    }

    [Test]
    public void Clamp_NoBoundOrMinAboveMax_ThrowsWithValues()
    {
        using var x = Tensor.Zeros(2);
        Assert.Multiple(() =>
        {
            Assert.That(() => x.Clamp(), Throws.ArgumentException.With.Message.Contains("at least one"));
            Assert.That(() => x.Clamp(2f, 1f), Throws.ArgumentException.With.Message.Contains("min=2").And.Message.Contains("max=1"));
        });
    }

    [Test]
    public void Add_ShapesThatDoNotBroadcast_ThrowsNamingBothShapes()
    {
        using var a = Tensor.Zeros(2, 3);
        using var b = Tensor.Zeros(4);
        Assert.That(() => a.Add(b), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4]"));
    }

    // ---- gradients: binary ops with broadcasting -----------------------------------------------------------

    [TestCaseSource(nameof(s_broadcastPairs))]
    public void Add_Broadcasting_GradientsMatchNumerical(int[] sa, int[] sb)
    {
        using var a = TestData.Tensor(1, sa, requiresGrad: true);
        using var b = TestData.Tensor(2, sb, requiresGrad: true);
        GradientChecker.Check(() => a.Add(b), [a, b]);
        GradientChecker.Check(() => a.Add(b, alpha: 2.5f), [a, b]);
    }

    [TestCaseSource(nameof(s_broadcastPairs))]
    public void Sub_Broadcasting_GradientsMatchNumerical(int[] sa, int[] sb)
    {
        using var a = TestData.Tensor(3, sa, requiresGrad: true);
        using var b = TestData.Tensor(4, sb, requiresGrad: true);
        GradientChecker.Check(() => a.Sub(b), [a, b]);
        GradientChecker.Check(() => a.Sub(b, alpha: -0.5f), [a, b]);
    }

    [TestCaseSource(nameof(s_broadcastPairs))]
    public void Mul_Broadcasting_GradientsMatchNumerical(int[] sa, int[] sb)
    {
        using var a = TestData.Tensor(5, sa, requiresGrad: true);
        using var b = TestData.Tensor(6, sb, requiresGrad: true);
        GradientChecker.Check(() => a.Mul(b), [a, b]);
    }

    [TestCaseSource(nameof(s_broadcastPairs))]
    public void Div_Broadcasting_GradientsMatchNumerical(int[] sa, int[] sb)
    {
        using var a = TestData.Tensor(7, sa, 0.5f, 2f, requiresGrad: true);
        using var b = TestData.AwayFromKinks(8, sb, -2f, 2f, [0f], margin: 0.5f);
        GradientChecker.Check(() => a.Div(b), [a, b]);
    }

    [TestCaseSource(nameof(s_broadcastPairs))]
    public void PowTensor_Broadcasting_GradientsMatchNumerical(int[] sa, int[] sb)
    {
        using var a = TestData.Tensor(9, sa, 0.5f, 2f, requiresGrad: true);
        using var b = TestData.Tensor(10, sb, -1.5f, 1.5f, requiresGrad: true);
        GradientChecker.Check(() => a.Pow(b), [a, b]);
    }

    [TestCaseSource(nameof(s_broadcastPairs))]
    public void MaximumAndMinimum_Broadcasting_GradientsMatchNumerical(int[] sa, int[] sb)
    {
        // a on the grid 0.1·k, b on the grid 0.1·k + 0.05: never within 0.05 of each other, so no ties.
        using var a = Grid(sa, 0f, 12);
        using var b = Grid(sb, 0.05f, 13);
        GradientChecker.Check(() => a.Maximum(b), [a, b], requireSignal: false);
        GradientChecker.Check(() => a.Minimum(b), [a, b], requireSignal: false);
    }

    [Test]
    public void Maximum_Ties_SplitTheGradientEqually()
    {
        using var a = Tensor.FromArray([1f, 2f, 3f]).WithRequiresGrad();
        using var b = Tensor.FromArray([1f, 0f, 5f]).WithRequiresGrad();
        using var y = a.Maximum(b);
        using var s = y.Sum();
        s.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 0.5f, 1f, 0f }));
            Assert.That(b.Grad!.ToArray(), Is.EqualTo(new[] { 0.5f, 0f, 1f }));
        });
    }

    [Test]
    public void Minimum_Ties_SplitTheGradientEqually()
    {
        using var a = Tensor.FromArray([1f, 2f, 3f]).WithRequiresGrad();
        using var b = Tensor.FromArray([1f, 0f, 5f]).WithRequiresGrad();
        using var y = a.Minimum(b);
        using var s = y.Sum();
        s.Backward();
        Assert.Multiple(() =>
        {
            Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 0.5f, 0f, 1f }));
            Assert.That(b.Grad!.ToArray(), Is.EqualTo(new[] { 0.5f, 1f, 0f }));
        });
    }

    [Test]
    public void BinaryOps_SameTensorOnBothSides_AccumulateBothPaths()
    {
        using var x = TestData.Tensor(14, [7], requiresGrad: true);
        GradientChecker.Check(() => x.Mul(x), [x]);
        GradientChecker.Check(() => x.Add(x).Mul(x), [x]);
        GradientChecker.Check(() => x.Div(x.Add(3f)), [x]);
    }

    [Test]
    public void Mul_OnlyOneSideRequiresGrad_GradientsFlowToThatSide()
    {
        using var a = TestData.Tensor(15, [3, 4], requiresGrad: true);
        using var b = TestData.Tensor(16, [4]);
        GradientChecker.Check(() => a.Mul(b), [a]);
        Assert.That(b.Grad, Is.Null);
    }

    // ---- gradients: scalar ops and unary math --------------------------------------------------------------

    [Test]
    public void ScalarOps_AwayFromZero_GradientsMatchNumerical()
    {
        using var x = TestData.AwayFromKinks(17, [2, 5], -2f, 2f, [0f], margin: 0.4f);
        GradientChecker.Check(() => x.Add(1.5f), [x]);
        GradientChecker.Check(() => x.Sub(0.5f), [x]);
        GradientChecker.Check(() => x.Mul(-2.5f), [x]);
        GradientChecker.Check(() => x.Div(4f), [x]);
        GradientChecker.Check(() => 3f - x, [x]);
        GradientChecker.Check(() => 2f / x, [x]);
        GradientChecker.Check(() => -x, [x]);
    }

    [TestCase(1f)]
    [TestCase(2f)]
    [TestCase(3f)]
    [TestCase(0.5f)]
    [TestCase(-1.5f)]
    public void PowScalar_PositiveBase_GradientMatchesNumerical(float exponent)
    {
        using var x = TestData.Tensor(18, [3, 5], 0.5f, 2f, requiresGrad: true);
        GradientChecker.Check(() => x.Pow(exponent), [x]);
    }

    [TestCase("Exp")]
    [TestCase("Log")]
    [TestCase("Sqrt")]
    [TestCase("Rsqrt")]
    [TestCase("Abs")]
    [TestCase("Square")]
    [TestCase("Reciprocal")]
    [TestCase("Sin")]
    [TestCase("Cos")]
    [TestCase("Log1p")]
    [TestCase("Expm1")]
    [TestCase("Sigmoid")]
    [TestCase("Tanh")]
    [TestCase("Relu")]
    [TestCase("Neg")]
    public void UnaryMath_InsideTheDomain_GradientMatchesNumerical(string op)
    {
        // Domains: positive for log/sqrt/rsqrt, away from 0 for abs/relu/reciprocal (kinks and poles), above -1 for log1p.
        using var x = op switch
        {
            "Log" or "Sqrt" or "Rsqrt" => TestData.Tensor(19, [4, 5], 0.5f, 2.5f, requiresGrad: true),
            "Abs" or "Relu" or "Reciprocal" => TestData.AwayFromKinks(20, [4, 5], -2f, 2f, [0f], margin: 0.3f),
            "Log1p" => TestData.Tensor(21, [4, 5], -0.5f, 2f, requiresGrad: true),
            _ => TestData.Tensor(22, [4, 5], -2f, 2f, requiresGrad: true),
        };
        GradientChecker.Check(() => Apply(op, x), [x]);
    }

    [Test]
    public void UnaryMath_NonContiguousInput_GradientsMatchNumerical()
    {
        using var x = TestData.Tensor(23, [4, 6], 0.5f, 2f, requiresGrad: true);
        GradientChecker.Check(() => x.Transpose(0, 1).Log().Mul(x.T.Sqrt()), [x]);
    }

    [TestCase(-0.5f, null)]
    [TestCase(null, 0.5f)]
    [TestCase(-0.5f, 0.5f)]
    public void Clamp_AwayFromBounds_GradientsMatchNumerical(float? min, float? max)
    {
        using var x = TestData.AwayFromKinks(24, [3, 7], -1.5f, 1.5f, [-0.5f, 0.5f], margin: 0.1f);
        GradientChecker.Check(() => x.Clamp(min, max), [x]);
    }

    [Test]
    public void Clamp_ValueExactlyOnABound_PassesTheGradient()
    {
        // PyTorch: the gradient passes where min <= x <= max (bounds included).
        using var x = Tensor.FromArray([-1f, 0f, 1f, 2f]).WithRequiresGrad();
        using var y = x.Clamp(-1f, 1f);
        using var s = y.Sum();
        s.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 1f, 1f, 0f }));
    }

    [Test]
    public void ReluAndAbs_AtZero_HaveZeroGradient()
    {
        using var x = Tensor.FromArray([0f, 0f]).WithRequiresGrad();
        using var relu = x.Relu();
        using var abs = x.Abs();
        using var s = relu.Add(abs).Sum();
        s.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
    }

    [Test]
    public void PiecewiseConstantOps_AnyInput_HaveZeroGradient()
    {
        using var x = TestData.Tensor(25, [6], -3f, 3f, requiresGrad: true);
        using var y = x.Sign().Add(x.Floor()).Add(x.Ceil()).Add(x.Round());
        using var s = y.Sum();
        s.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new float[6]));
    }

    private static Tensor Grid(int[] shape, float offset, int seed)
    {
        var n = TestData.Numel(shape);
        var values = TestData.DistinctShuffled(seed, n, 0.1f, offset - 0.3f);
        return TestData.Create(values, shape).WithRequiresGrad();
    }

    internal static Tensor Apply(string op, Tensor x) => op switch
    {
        "Exp" => x.Exp(),
        "Log" => x.Log(),
        "Sqrt" => x.Sqrt(),
        "Rsqrt" => x.Rsqrt(),
        "Abs" => x.Abs(),
        "Square" => x.Square(),
        "Reciprocal" => x.Reciprocal(),
        "Sin" => x.Sin(),
        "Cos" => x.Cos(),
        "Log1p" => x.Log1p(),
        "Expm1" => x.Expm1(),
        "Sigmoid" => x.Sigmoid(),
        "Tanh" => x.Tanh(),
        "Relu" => x.Relu(),
        "Neg" => x.Neg(),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
    };

    private static double Reference(string op, double x) => op switch
    {
        "Exp" => Math.Exp(x),
        "Log" => Math.Log(x),
        "Sqrt" => Math.Sqrt(x),
        "Rsqrt" => 1 / Math.Sqrt(x),
        "Abs" => Math.Abs(x),
        "Square" => x * x,
        "Reciprocal" => 1 / x,
        "Sin" => Math.Sin(x),
        "Cos" => Math.Cos(x),
        "Log1p" => Math.Log(1 + x),
        "Expm1" => Math.Exp(x) - 1,
        "Sigmoid" => 1 / (1 + Math.Exp(-x)),
        "Tanh" => Math.Tanh(x),
        "Relu" => Math.Max(x, 0),
        "Neg" => -x,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
    };
}
