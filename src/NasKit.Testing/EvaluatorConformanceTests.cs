using System.Diagnostics;
using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;
using NUnit.Framework;

namespace NasKit.Testing;

/// <summary>
/// The contract every <see cref="IEvaluator"/> must keep (evaluators and their decorators alike), as an abstract NUnit fixture: derive a
/// <c>[TestFixture]</c> from it, return a fresh evaluator from <see cref="CreateEvaluator"/> and architectures it can evaluate from
/// <see cref="CreateArchitectures"/>.
/// </summary>
/// <remarks>Checks: every declared metric is in every result; an already-cancelled token ends in <see cref="OperationCanceledException"/>
/// promptly, and so does (or a result) a token cancelled while the evaluation runs; the same architecture twice gives the same metrics
/// when the evaluator claims determinism (<see cref="IsDeterministic"/>); a null architecture or reporter is an
/// <see cref="ArgumentNullException"/>; an architecture of another space is a usage error whose message names it (not a failed or pruned
/// trial); intermediate reports, if any, have non-negative increasing steps and no NaN; a reporter that asks to prune stops the
/// evaluation with <see cref="TrialPrunedException"/>.</remarks>
public abstract class EvaluatorConformanceTests
{
    /// <summary>The space name of the architecture no evaluator under test knows.</summary>
    protected const string ForeignSpaceName = "naskit-conformance-foreign";

    /// <summary>Gets whether the evaluator promises equal metrics for equal architectures (then the suite checks it).</summary>
    /// <value>The default value is true.</value>
    protected virtual bool IsDeterministic => true;

    /// <summary>Gets how long a cancelled evaluation may take to end.</summary>
    /// <value>The default value is 5 seconds.</value>
    protected virtual TimeSpan CancellationLimit => TimeSpan.FromSeconds(5);

    /// <summary>Creates a fresh evaluator under test.</summary>
    /// <returns>The evaluator.</returns>
    protected abstract IEvaluator CreateEvaluator();

    /// <summary>Creates architectures the evaluator can evaluate (at least one; the first is used by the single-architecture checks).</summary>
    /// <returns>The architectures.</returns>
    protected abstract IReadOnlyList<Architecture> CreateArchitectures();

    /// <summary>Checks that the declared metric names are non-empty and distinct, and that every result holds every one of them.</summary>
    /// <returns>A task that completes when the check has run.</returns>
    [Test]
    public async Task EvaluateAsync_EveryArchitecture_ResultHoldsEveryDeclaredMetric()
    {
        var evaluator = CreateEvaluator();
        var names = evaluator.MetricNames;
        Assert.That(names, Is.Not.Empty, "an evaluator declares at least one metric");
        Assert.That(names, Is.Unique, "metric names are distinct");
        foreach (var architecture in Architectures())
        {
            var result = await evaluator.EvaluateAsync(architecture, new RecordingReporter(), CancellationToken.None).ConfigureAwait(false);
            Assert.That(result.Metrics.Keys, Is.SupersetOf(names), $"{architecture}: declared [{string.Join(", ", names)}]");
        }
    }

    /// <summary>Checks that an already-cancelled token ends the evaluation in <see cref="OperationCanceledException"/> within the limit.</summary>
    [Test]
    public void EvaluateAsync_CancelledToken_ThrowsOperationCanceledPromptly()
    {
        var evaluator = CreateEvaluator();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var watch = Stopwatch.StartNew();
        Assert.That(async () => await evaluator.EvaluateAsync(Architectures()[0], new RecordingReporter(), cancelled.Token).ConfigureAwait(false),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(watch.Elapsed, Is.LessThan(CancellationLimit));
    }

    /// <summary>Checks that a token cancelled while the evaluation runs ends it within the limit, with a result or
    /// <see cref="OperationCanceledException"/> and nothing else.</summary>
    /// <returns>A task that completes when the check has run.</returns>
    [Test]
    public async Task EvaluateAsync_TokenCancelledWhileRunning_EndsPromptly()
    {
        var evaluator = CreateEvaluator();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        var watch = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            await evaluator.EvaluateAsync(Architectures()[0], new RecordingReporter(), cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }

        var elapsed = watch.Elapsed - TimeSpan.FromMilliseconds(20);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null.Or.InstanceOf<OperationCanceledException>(), error?.ToString());
            Assert.That(elapsed, Is.LessThan(CancellationLimit));
        });
    }

    /// <summary>Checks that evaluating an architecture twice (on one evaluator, and on a fresh one) gives equal metrics, when the
    /// evaluator claims determinism.</summary>
    /// <returns>A task that completes when the check has run.</returns>
    [Test]
    public async Task EvaluateAsync_SameArchitectureTwice_SameMetricsWhenDeterministic()
    {
        if (!IsDeterministic)
        {
            Assert.Ignore("The evaluator does not claim determinism.");
        }

        var architecture = Architectures()[0];
        var evaluator = CreateEvaluator();
        var first = await evaluator.EvaluateAsync(architecture, new RecordingReporter(), CancellationToken.None).ConfigureAwait(false);
        var second = await evaluator.EvaluateAsync(architecture, new RecordingReporter(), CancellationToken.None).ConfigureAwait(false);
        var fresh = await CreateEvaluator().EvaluateAsync(architecture, new RecordingReporter(), CancellationToken.None).ConfigureAwait(false);
        Assert.Multiple(() =>
        {
            Assert.That(second.Metrics, Is.EquivalentTo(first.Metrics), "the same evaluator, twice");
            Assert.That(fresh.Metrics, Is.EquivalentTo(first.Metrics), "a fresh evaluator");
        });
    }

    /// <summary>Checks that a null architecture or reporter is refused with <see cref="ArgumentNullException"/>.</summary>
    [Test]
    public void EvaluateAsync_NullArgument_ThrowsArgumentNull()
    {
        var evaluator = CreateEvaluator();
        Assert.Multiple(() =>
        {
            Assert.That(async () => await evaluator.EvaluateAsync(null!, new RecordingReporter(), CancellationToken.None).ConfigureAwait(false),
                Throws.InstanceOf<ArgumentNullException>());
            Assert.That(async () => await evaluator.EvaluateAsync(Architectures()[0], null!, CancellationToken.None).ConfigureAwait(false),
                Throws.InstanceOf<ArgumentNullException>());
        });
    }

    /// <summary>Checks that an architecture of another space is a usage error (not a failed, pruned or cancelled trial) whose message
    /// names the architecture or its space.</summary>
    /// <returns>A task that completes when the check has run.</returns>
    [Test]
    public async Task EvaluateAsync_ForeignArchitecture_ThrowsNamingIt()
    {
        var evaluator = CreateEvaluator();
        var foreign = new ForeignArchitecture();
        Exception? error = null;
        try
        {
            await evaluator.EvaluateAsync(foreign, new RecordingReporter(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }

        Assert.That(error, Is.Not.Null, "an architecture of another space was evaluated as if it were valid");
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Not.InstanceOf<EvaluationFailedException>().And.Not.InstanceOf<TrialPrunedException>().And.Not.InstanceOf<OperationCanceledException>(),
                "a foreign architecture is a usage error, not a failed trial");
            Assert.That(error!.Message, Does.Contain(ForeignSpaceName).Or.Contain(foreign.ToString()), "the message names the architecture or its space");
        });
    }

    /// <summary>Checks that intermediate reports, if any, have non-negative, strictly increasing steps and no NaN value.</summary>
    /// <returns>A task that completes when the check has run.</returns>
    [Test]
    public async Task EvaluateAsync_IntermediateReports_StepsIncreaseAndValuesAreNumbers()
    {
        var reporter = new RecordingReporter();
        await CreateEvaluator().EvaluateAsync(Architectures()[0], reporter, CancellationToken.None).ConfigureAwait(false);
        var steps = reporter.Reports.Select(r => r.Step).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(steps, Is.All.GreaterThanOrEqualTo(0));
            Assert.That(steps, Is.Ordered.Ascending.And.Unique, $"steps [{string.Join(", ", steps)}]");
            Assert.That(reporter.Reports.SelectMany(r => r.Values.Values), Has.None.NaN);
        });
    }

    /// <summary>Checks that an evaluator that reports stops with <see cref="TrialPrunedException"/> when the reporter asks to prune after
    /// its first report, and reports nothing more.</summary>
    /// <returns>A task that completes when the check has run.</returns>
    [Test]
    public async Task EvaluateAsync_ReporterAsksToPrune_ThrowsTrialPrunedAfterFirstReport()
    {
        var probe = new RecordingReporter();
        await CreateEvaluator().EvaluateAsync(Architectures()[0], probe, CancellationToken.None).ConfigureAwait(false);
        if (probe.Reports.Count == 0)
        {
            Assert.Pass("The evaluator reports nothing, so it has nothing to prune on.");
        }

        var pruning = new RecordingReporter(pruneAfterReports: 1);
        Assert.That(async () => await CreateEvaluator().EvaluateAsync(Architectures()[0], pruning, CancellationToken.None).ConfigureAwait(false),
            Throws.InstanceOf<TrialPrunedException>());
        Assert.That(pruning.Reports, Has.Count.EqualTo(1), "the evaluator went on reporting after the reporter asked to prune");
    }

    private IReadOnlyList<Architecture> Architectures()
    {
        var architectures = CreateArchitectures();
        Assert.That(architectures, Is.Not.Empty, "CreateArchitectures must return at least one architecture");
        return architectures;
    }

    /// <summary>A reporter that records every report and asks to prune once it has received a given number of them.</summary>
    private sealed class RecordingReporter(int pruneAfterReports = int.MaxValue) : ITrialReporter
    {
        public List<(int Step, Dictionary<string, double> Values)> Reports { get; } = [];

        public bool ShouldPrune => Reports.Count >= pruneAfterReports;

        public void Report(int step, IReadOnlyDictionary<string, double> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            Reports.Add((step, new Dictionary<string, double>(values, StringComparer.Ordinal)));
        }
    }

    /// <summary>An architecture of a space no evaluator under test knows.</summary>
    private sealed class ForeignArchitecture : Architecture
    {
        public override string SpaceName => ForeignSpaceName;

        public override string CanonicalForm => "foreign-architecture-0";

        public override string ToString() => CanonicalForm;
    }
}
