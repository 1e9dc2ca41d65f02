using NasKit.Optimizers.Internal;

namespace NasKit.Optimizers.Tests.Internal;

public sealed class NormalMathTests
{
    // Python 3.11 math.erfc(x).
    [TestCase(0.1, 0.8875370839817152)]
    [TestCase(1.5, 0.033894853524689274)]
    [TestCase(2.5, 0.0004069520174449589)]
    [TestCase(5.0, 1.5374597944280351e-12)]
    [TestCase(10.0, 2.088487583762545e-45)]
    [TestCase(-1.0, 1.842700792949715)]
    public void Erfc_KnownValues_MatchToRelativeTolerance(double x, double expected) =>
        Assert.That(NormalMath.Erfc(x), Is.EqualTo(expected).Within(1e-13 * expected));

    [Test]
    public void LogUpperTail_FarTail_StaysFinite() =>
        // Python 3.11: math.log(0.5 * math.erfc(30 / math.sqrt(2))).
        Assert.That(NormalMath.LogUpperTail(30), Is.EqualTo(-454.3212439563431).Within(1e-9));

    [TestCase(-1.0, 1.0, 0.6826894921370859)]
    [TestCase(2.0, 3.0, 0.021400233916549105)]
    [TestCase(-3.0, -2.0, 0.021400233916549105)]
    public void LogGaussMass_Intervals_MatchNormalMass(double a, double b, double mass) =>
        // Python 3.11: 0.5 * (math.erfc(-b / sqrt 2) - math.erfc(-a / sqrt 2)).
        Assert.That(Math.Exp(NormalMath.LogGaussMass(a, b)), Is.EqualTo(mass).Within(1e-13));

    [Test]
    public void LogGaussMass_FarRightTail_NoCancellation()
    {
        // Mass of [40, 41] ≈ Q(40)·(1 − e^{−40.5}) ; log Q(40) from the asymptotic series −x²/2 − log(x√(2π)) + log(1 − 1/x² + 3/x⁴).
        var expected = (-800.0) - Math.Log(40 * Math.Sqrt(2 * Math.PI)) + Math.Log(1 - (1 / 1600.0) + (3 / (1600.0 * 1600.0)) - (15 / (1600.0 * 1600.0 * 1600.0)));
        Assert.That(NormalMath.LogGaussMass(40, 41), Is.EqualTo(expected).Within(1e-9));
    }
}
