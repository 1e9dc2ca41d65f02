using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;

namespace NasKit.Objectives.Tests.Evaluation;

public sealed class CostEvaluatorTests
{
    [TestCase("width=4", 4)]
    [TestCase("width=8", 8)]
    public async Task EvaluateAsync_TinyMlp_HandCountedParametersAndMacs(string text, int width)
    {
        var evaluator = new CostEvaluator(TinyProblems.Mlp);
        var result = await evaluator.EvaluateAsync(TinyProblems.Mlp.Parse(text), NullTrialReporter.Instance);

        // Linear(4, w) + Linear(w, 2): weights 4w + 2w, biases w + 2. MACs (ModelCost convention: in·out plus out for a bias) are the
        // same numbers at batch 1. The model is float32 parameters only (no buffers).
        var parameters = (4 * width) + width + (2 * width) + 2;
        Assert.Multiple(() =>
        {
            Assert.That(evaluator.MetricNames, Is.EqualTo(new[] { "params", "macs", "peak_activation_bytes", "model_bytes" }));
            Assert.That(result[StandardMetrics.Parameters], Is.EqualTo(parameters));
            Assert.That(result[StandardMetrics.Macs], Is.EqualTo(parameters));
            Assert.That(result[StandardMetrics.ModelBytes], Is.EqualTo(4 * parameters));
            Assert.That(result[StandardMetrics.PeakActivationBytes], Is.GreaterThan(0));
        });
    }

    [Test]
    public void EvaluateAsync_ArchitectureOfAnotherSpace_ThrowsIncompatible()
    {
        var evaluator = new CostEvaluator(TinyProblems.Mlp);
        Assert.That(async () => await evaluator.EvaluateAsync(new FakeArchitecture("x"), NullTrialReporter.Instance),
            Throws.TypeOf<IncompatibleArchitectureException>().With.Message.Contain("tiny-mlp"));
    }
}
