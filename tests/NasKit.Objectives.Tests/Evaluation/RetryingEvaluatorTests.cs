using NasKit.Objectives.Evaluation;

namespace NasKit.Objectives.Tests.Evaluation;

public sealed class RetryingEvaluatorTests
{
    private static readonly FakeArchitecture s_architecture = new("a");

    [Test]
    public async Task EvaluateAsync_TwoTransientFailures_ThirdAttemptSucceeds()
    {
        var inner = new ScriptedEvaluator((call, _, _) =>
            call < 3 ? throw new EvaluationFailedException($"attempt {call}") : ValueTask.FromResult(ScriptedEvaluator.Score(1)));
        var result = await new RetryingEvaluator(inner).EvaluateAsync(s_architecture, NullTrialReporter.Instance);
        Assert.Multiple(() =>
        {
            Assert.That(result["score"], Is.EqualTo(1));
            Assert.That(inner.Calls, Is.EqualTo(3));
        });
    }

    [Test]
    public void EvaluateAsync_RetriesExhausted_ThrowsLastFailure()
    {
        var inner = new ScriptedEvaluator((call, _, _) => throw new EvaluationFailedException($"attempt {call}"));
        var retrying = new RetryingEvaluator(inner, new RetryingEvaluatorOptions { MaxRetries = 1 });
        Assert.Multiple(() =>
        {
            Assert.That(async () => await retrying.EvaluateAsync(s_architecture, NullTrialReporter.Instance),
                Throws.TypeOf<EvaluationFailedException>().With.Message.EqualTo("attempt 2"));
            Assert.That(inner.Calls, Is.EqualTo(2));
        });
    }

    [Test]
    public void EvaluateAsync_Cancellation_NeverRetried()
    {
        var inner = new ScriptedEvaluator((_, _, _) => throw new OperationCanceledException());
        var retrying = new RetryingEvaluator(inner, new RetryingEvaluatorOptions { MaxRetries = 5, ShouldRetry = _ => true });
        Assert.Multiple(() =>
        {
            Assert.That(async () => await retrying.EvaluateAsync(s_architecture, NullTrialReporter.Instance), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(inner.Calls, Is.EqualTo(1));
        });
    }

    [Test]
    public void EvaluateAsync_Pruned_NeverRetried()
    {
        var inner = new ScriptedEvaluator((_, _, _) => throw new TrialPrunedException(3));
        var retrying = new RetryingEvaluator(inner, new RetryingEvaluatorOptions { ShouldRetry = _ => true });
        Assert.Multiple(() =>
        {
            Assert.That(async () => await retrying.EvaluateAsync(s_architecture, NullTrialReporter.Instance),
                Throws.TypeOf<TrialPrunedException>().With.Property(nameof(TrialPrunedException.Step)).EqualTo(3));
            Assert.That(inner.Calls, Is.EqualTo(1));
        });
    }

    [Test]
    public void EvaluateAsync_UsageErrorUnderDefaultPolicy_NotRetried()
    {
        var inner = new ScriptedEvaluator((_, _, _) => throw new KeyNotFoundException("no row"));
        Assert.Multiple(() =>
        {
            Assert.That(async () => await new RetryingEvaluator(inner).EvaluateAsync(s_architecture, NullTrialReporter.Instance), Throws.TypeOf<KeyNotFoundException>());
            Assert.That(inner.Calls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task EvaluateAsync_CustomPolicy_RetriesWhatItSays()
    {
        var inner = new ScriptedEvaluator((call, _, _) =>
            call == 1 ? throw new InvalidOperationException("flaky") : ValueTask.FromResult(ScriptedEvaluator.Score(2)));
        var retrying = new RetryingEvaluator(inner, new RetryingEvaluatorOptions { ShouldRetry = e => e is InvalidOperationException });
        var result = await retrying.EvaluateAsync(s_architecture, NullTrialReporter.Instance);
        Assert.That(result["score"], Is.EqualTo(2));
    }

    [Test]
    public void Ctor_InvalidOptions_ListsEveryProblem()
    {
        var inner = new ScriptedEvaluator((_, _, _) => ValueTask.FromResult(ScriptedEvaluator.Score(1)));
        var options = new RetryingEvaluatorOptions { MaxRetries = -1, Delay = TimeSpan.FromSeconds(-1) };
        Assert.That(() => new RetryingEvaluator(inner, options),
            Throws.ArgumentException.With.Message.Contain("MaxRetries=-1").And.Message.Contain("'Delay >= 0'"));
    }
}
