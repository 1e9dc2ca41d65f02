namespace NasKit.Objectives.Tests;

public sealed class ObjectiveTests
{
    [Test]
    public void Ctor_LowerNotBelowUpper_ThrowsWithBothValues()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Objective("macs", ObjectiveDirection.Minimize, lowerBound: 5, upperBound: 5));
        Assert.That(ex!.Message, Does.Contain("lowerBound < upperBound").And.Contain("lowerBound=5").And.Contain("upperBound=5"));
    }

    [Test]
    public void Ctor_NonFiniteBound_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Objective.Minimize("macs", upperBound: double.PositiveInfinity), Throws.ArgumentException.With.Message.Contain("finite"));
            Assert.That(() => Objective.Maximize("acc", lowerBound: double.NaN), Throws.ArgumentException.With.Message.Contain("NaN"));
        });
    }

    [Test]
    public void Ctor_BlankName_Throws()
    {
        Assert.That(() => Objective.Minimize("  "), Throws.ArgumentException);
    }

    [Test]
    public void Ctor_UndefinedDirection_Throws()
    {
        Assert.That(() => new Objective("acc", (ObjectiveDirection)7), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contain("7"));
    }

    [TestCase("val_accuracy:max", "val_accuracy", ObjectiveDirection.Maximize)]
    [TestCase(" macs : MIN ", "macs", ObjectiveDirection.Minimize)]
    [TestCase("latency:ms:minimize", "latency:ms", ObjectiveDirection.Minimize)]
    public void Parse_ValidText_ReturnsObjective(string text, string name, ObjectiveDirection direction)
    {
        var objective = Objective.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(objective.Name, Is.EqualTo(name));
            Assert.That(objective.Direction, Is.EqualTo(direction));
        });
    }

    [TestCase("macs")]
    [TestCase("macs:smallest")]
    [TestCase(":max")]
    public void Parse_InvalidText_ThrowsFormatExceptionQuotingText(string text)
    {
        Assert.That(() => Objective.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contain($"'{text}'").And.Message.Contain("NAME:max"));
    }

    [Test]
    public void ToString_ParsedBack_SameObjective()
    {
        var objective = Objective.Maximize("val_accuracy");
        Assert.That(Objective.Parse(objective.ToString()), Is.EqualTo(objective));
    }

    [Test]
    public void WorstBound_DependsOnDirection()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Objective.Minimize("macs", 1, 9).WorstBound, Is.EqualTo(9));
            Assert.That(Objective.Maximize("acc", 0.1, 0.9).WorstBound, Is.EqualTo(0.1));
            Assert.That(Objective.Maximize("acc", upperBound: 1).WorstBound, Is.Null);
        });
    }

    [Test]
    public void Normalize_BothDirections_BestBoundIsZero()
    {
        var macs = Objective.Minimize("macs", 10, 50);
        var accuracy = Objective.Maximize("acc", 0.5, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(macs.Normalize(20), Is.EqualTo(0.25).Within(1e-15));
            Assert.That(macs.Normalize(10), Is.EqualTo(0.0));
            Assert.That(accuracy.Normalize(0.9), Is.EqualTo(0.2).Within(1e-15));
            Assert.That(accuracy.Normalize(0.5), Is.EqualTo(1.0));
        });
    }

    [Test]
    public void Normalize_MissingBound_ThrowsNamingObjective()
    {
        Assert.That(() => Objective.Minimize("macs", lowerBound: 0).Normalize(3),
            Throws.InvalidOperationException.With.Message.Contain("'macs'").And.Message.Contain("upperBound=none"));
    }

    [Test]
    public void ToMinimizationAndIsBetter_FollowDirection()
    {
        var accuracy = Objective.Maximize("acc");
        var macs = Objective.Minimize("macs");
        Assert.Multiple(() =>
        {
            Assert.That(accuracy.ToMinimization(0.8), Is.EqualTo(-0.8));
            Assert.That(macs.ToMinimization(0.8), Is.EqualTo(0.8));
            Assert.That(accuracy.IsBetter(0.9, 0.8), Is.True);
            Assert.That(accuracy.IsBetter(0.8, 0.8), Is.False);
            Assert.That(macs.IsBetter(0.9, 0.8), Is.False);
            Assert.That(macs.IsBetter(double.NaN, 0.8), Is.False);
        });
    }

    [Test]
    public void GetValue_MissingMetric_ListsAvailableNames()
    {
        var metrics = new Dictionary<string, double> { ["params"] = 3, ["macs"] = 7 };
        Assert.Multiple(() =>
        {
            Assert.That(Objective.Minimize("macs").GetValue(metrics), Is.EqualTo(7));
            Assert.That(() => Objective.Maximize("val_accuracy").GetValue(metrics),
                Throws.TypeOf<KeyNotFoundException>().With.Message.Contain("'val_accuracy'").And.Message.Contain("[macs, params]"));
        });
    }
}
