namespace NasKit.Objectives.Tests;

public sealed class ConstraintTests
{
    [TestCase("macs<=5e7", "macs", ConstraintComparison.LessThanOrEqual, 5e7)]
    [TestCase("  val_accuracy >= 0.25 ", "val_accuracy", ConstraintComparison.GreaterThanOrEqual, 0.25)]
    [TestCase("latency_ms≤12.5", "latency_ms", ConstraintComparison.LessThanOrEqual, 12.5)]
    [TestCase("params≥-1E+3", "params", ConstraintComparison.GreaterThanOrEqual, -1000)]
    public void Parse_ValidText_ReturnsConstraint(string text, string name, ConstraintComparison comparison, double bound)
    {
        var constraint = Constraint.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(constraint.MetricName, Is.EqualTo(name));
            Assert.That(constraint.Comparison, Is.EqualTo(comparison));
            Assert.That(constraint.Bound, Is.EqualTo(bound));
        });
    }

    [TestCase("macs<5e7", "only '<=' and '>=' are allowed")]
    [TestCase("macs=5e7", "only '<=' and '>=' are allowed")]
    [TestCase("macs 5e7", "has no '<=' or '>='")]
    [TestCase("<=5e7", "no metric name")]
    [TestCase("macs<=five", "'five'")]
    [TestCase("macs<=5,0", "'5,0'")]
    [TestCase("macs<=Infinity", "finite")]
    [TestCase("a<=1<=2", "more than one comparison operator")]
    public void Parse_InvalidText_ThrowsFormatExceptionSayingWhy(string text, string reason)
    {
        Assert.That(() => Constraint.Parse(text),
            Throws.TypeOf<FormatException>().With.Message.Contain(reason).And.Message.Contain("NAME<=BOUND"));
    }

    [Test]
    public void TryParse_InvalidAndValid_ReportsSuccess()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Constraint.TryParse("macs<5", out var bad), Is.False);
            Assert.That(bad, Is.Null);
            Assert.That(Constraint.TryParse(null, out _), Is.False);
            Assert.That(Constraint.TryParse("macs<=5", out var good), Is.True);
            Assert.That(good, Is.EqualTo(Constraint.AtMost("macs", 5)));
        });
    }

    [Test]
    public void ToString_ParsedBack_SameConstraint()
    {
        var constraint = Constraint.AtLeast("val_accuracy", 0.1 + 0.2); // 0.30000000000000004 must survive the round trip
        Assert.Multiple(() =>
        {
            Assert.That(Constraint.Parse(constraint.ToString()), Is.EqualTo(constraint));
            Assert.That(Constraint.AtMost("macs", 5e7).ToString(), Is.EqualTo("macs<=50000000"));
        });
    }

    [Test]
    public void Violation_LessThanOrEqual_IsValueMinusBound()
    {
        var constraint = Constraint.AtMost("macs", 100);
        Assert.Multiple(() =>
        {
            Assert.That(constraint.Violation(130), Is.EqualTo(30));
            Assert.That(constraint.Violation(100), Is.EqualTo(0));
            Assert.That(constraint.Violation(60), Is.EqualTo(-40));
        });
    }

    [Test]
    public void Violation_GreaterThanOrEqual_IsBoundMinusValue()
    {
        var constraint = Constraint.AtLeast("acc", 0.5);
        Assert.Multiple(() =>
        {
            Assert.That(constraint.Violation(0.25), Is.EqualTo(0.25));
            Assert.That(constraint.Violation(0.75), Is.EqualTo(-0.25));
            Assert.That(constraint.IsSatisfied(new Dictionary<string, double> { ["acc"] = 0.5 }), Is.True);
            Assert.That(constraint.IsSatisfied(new Dictionary<string, double> { ["acc"] = 0.49 }), Is.False);
        });
    }

    [Test]
    public void Violation_NaNOrMissingMetric_ThrowsClearly()
    {
        var constraint = Constraint.AtMost("macs", 100);
        Assert.Multiple(() =>
        {
            Assert.That(() => constraint.Violation(double.NaN), Throws.ArgumentException.With.Message.Contain("NaN").And.Message.Contain("macs<=100"));
            Assert.That(() => constraint.Violation(new Dictionary<string, double> { ["params"] = 1 }),
                Throws.TypeOf<KeyNotFoundException>().With.Message.Contain("'macs'").And.Message.Contain("[params]"));
        });
    }

    [Test]
    public void TotalViolation_SumsPositivePartsOnly()
    {
        Constraint[] constraints = [Constraint.AtMost("macs", 100), Constraint.AtLeast("acc", 0.5), Constraint.AtMost("params", 10)];
        var metrics = new Dictionary<string, double> { ["macs"] = 130, ["acc"] = 0.25, ["params"] = 4 };

        // 30 (macs over) + 0.25 (accuracy short) + 0 (params has 6 of slack, which must not offset the others).
        Assert.That(Constraint.TotalViolation(constraints, metrics), Is.EqualTo(30.25).Within(1e-12));
    }

    [Test]
    public void Ctor_NonFiniteBound_Throws()
    {
        Assert.That(() => new Constraint("macs", ConstraintComparison.LessThanOrEqual, double.NaN), Throws.ArgumentException.With.Message.Contain("finite"));
    }
}
