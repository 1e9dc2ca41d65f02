using NasKit.Objectives.Evaluation;

namespace NasKit.Objectives.Tests.Evaluation;

public sealed class EvaluationResultTests
{
    [Test]
    public void Ctor_NaNMetric_ThrowsPointingToFailure()
    {
        Assert.That(() => new EvaluationResult(new Dictionary<string, double> { ["val_accuracy"] = double.NaN }),
            Throws.ArgumentException.With.Message.Contain("'val_accuracy' is NaN").And.Message.Contain("EvaluationFailedException"));
    }

    [Test]
    public void Ctor_NegativeCostOrDuration_Throws()
    {
        var metrics = new Dictionary<string, double> { ["a"] = 1 };
        Assert.Multiple(() =>
        {
            Assert.That(() => new EvaluationResult(metrics, cost: -1), Throws.ArgumentException.With.Message.Contain("-1"));
            Assert.That(() => new EvaluationResult(metrics, TimeSpan.FromSeconds(-1)), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Indexer_MissingMetric_ListsNames()
    {
        var result = new EvaluationResult(new Dictionary<string, double> { ["b"] = 2, ["a"] = 1 });
        Assert.Multiple(() =>
        {
            Assert.That(result["b"], Is.EqualTo(2));
            Assert.That(() => result["c"], Throws.TypeOf<KeyNotFoundException>().With.Message.Contain("'c'").And.Message.Contain("[a, b]"));
            Assert.That(result.ToString(), Is.EqualTo("a=1, b=2"));
        });
    }

    [Test]
    public void Ctor_CopiesMetrics()
    {
        var metrics = new Dictionary<string, double> { ["a"] = 1 };
        var result = new EvaluationResult(metrics);
        metrics["a"] = 5;
        Assert.That(result["a"], Is.EqualTo(1));
    }
}
