using NasKit.Objectives.Evaluation;

namespace NasKit.Objectives.Tests.Evaluation;

public sealed class TimeBudgetEvaluatorTests
{
    private static readonly FakeArchitecture s_architecture = new("a");

    [Test]
    public void EvaluateAsync_InnerRunsPastBudget_FailsWithBudgetInMessage()
    {
        // The inner evaluator only ends when its token is cancelled, so only the budget can end it.
        var inner = new ScriptedEvaluator(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return ScriptedEvaluator.Score(1);
        });
        var limited = new TimeBudgetEvaluator(inner, TimeSpan.FromMilliseconds(50));
        Assert.That(async () => await limited.EvaluateAsync(s_architecture, NullTrialReporter.Instance),
            Throws.TypeOf<EvaluationFailedException>().With.Message.Contain("time budget of 0.05 s").And.InnerException.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void EvaluateAsync_CallerCancels_SurfacesAsCancellationNotFailure()
    {
        var inner = new ScriptedEvaluator(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return ScriptedEvaluator.Score(1);
        });
        var limited = new TimeBudgetEvaluator(inner, TimeSpan.FromMinutes(10));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.That(async () => await limited.EvaluateAsync(s_architecture, NullTrialReporter.Instance, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void EvaluateAsync_InnerIgnoresTokenAndFinishesLate_StillFails()
    {
        var inner = new ScriptedEvaluator(async (_, _, _) =>
        {
            await Task.Delay(200, CancellationToken.None);
            return ScriptedEvaluator.Score(1);
        });
        var limited = new TimeBudgetEvaluator(inner, TimeSpan.FromMilliseconds(20));
        Assert.That(async () => await limited.EvaluateAsync(s_architecture, NullTrialReporter.Instance),
            Throws.TypeOf<EvaluationFailedException>().With.Message.Contain("time budget"));
    }

    [Test]
    public async Task EvaluateAsync_WithinBudget_ReturnsResult()
    {
        var inner = new ScriptedEvaluator((_, _, _) => ValueTask.FromResult(ScriptedEvaluator.Score(4)));
        var result = await new TimeBudgetEvaluator(inner, TimeSpan.FromSeconds(30)).EvaluateAsync(s_architecture, NullTrialReporter.Instance);
        Assert.That(result["score"], Is.EqualTo(4));
    }

    [Test]
    public void Ctor_NonPositiveBudget_Throws()
    {
        var inner = new ScriptedEvaluator((_, _, _) => ValueTask.FromResult(ScriptedEvaluator.Score(4)));
        Assert.That(() => new TimeBudgetEvaluator(inner, TimeSpan.Zero), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
