using NasKit.Objectives.Evaluation;

namespace NasKit.Objectives.Tests.Evaluation;

public sealed class CachingEvaluatorTests
{
    [Test]
    public async Task EvaluateAsync_SameCanonicalForm_EvaluatesOnce()
    {
        var inner = new ScriptedEvaluator((call, _, _) => ValueTask.FromResult(ScriptedEvaluator.Score(call)));
        var cache = new CachingEvaluator(inner);

        // b has another text form but the same canonical form as a (an isomorphic cell); c differs.
        var first = await cache.EvaluateAsync(new FakeArchitecture("a", "cell-1"), NullTrialReporter.Instance);
        var again = await cache.EvaluateAsync(new FakeArchitecture("b", "cell-1"), NullTrialReporter.Instance);
        var other = await cache.EvaluateAsync(new FakeArchitecture("c", "cell-2"), NullTrialReporter.Instance);

        Assert.Multiple(() =>
        {
            Assert.That(inner.Calls, Is.EqualTo(2));
            Assert.That(again, Is.SameAs(first));
            Assert.That(other["score"], Is.EqualTo(2));
            Assert.That(cache.Hits, Is.EqualTo(1));
            Assert.That(cache.Misses, Is.EqualTo(2));
            Assert.That(cache.Count, Is.EqualTo(2));
            Assert.That(cache.MetricNames, Is.EqualTo(new[] { "score" }));
        });
    }

    [Test]
    public async Task EvaluateAsync_Failure_IsNotCached()
    {
        var inner = new ScriptedEvaluator((call, _, _) =>
            call == 1 ? throw new EvaluationFailedException("diverged") : ValueTask.FromResult(ScriptedEvaluator.Score(7)));
        var cache = new CachingEvaluator(inner);
        var architecture = new FakeArchitecture("a");

        Assert.That(async () => await cache.EvaluateAsync(architecture, NullTrialReporter.Instance), Throws.TypeOf<EvaluationFailedException>());
        var result = await cache.EvaluateAsync(architecture, NullTrialReporter.Instance);
        Assert.Multiple(() =>
        {
            Assert.That(result["score"], Is.EqualTo(7));
            Assert.That(inner.Calls, Is.EqualTo(2));
            Assert.That(cache.TryGetCached(architecture, out var cached), Is.True);
            Assert.That(cached, Is.SameAs(result));
        });
    }

    [Test]
    public async Task Clear_RemovesEntries()
    {
        var inner = new ScriptedEvaluator((call, _, _) => ValueTask.FromResult(ScriptedEvaluator.Score(call)));
        var cache = new CachingEvaluator(inner);
        await cache.EvaluateAsync(new FakeArchitecture("a"), NullTrialReporter.Instance);
        cache.Clear();
        var result = await cache.EvaluateAsync(new FakeArchitecture("a"), NullTrialReporter.Instance);
        Assert.That(result["score"], Is.EqualTo(2));
    }
}
