using NasKit.Objectives;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers.Pruners;
using NasKit.Optimizers.Storage;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Optimizers.Tests;

public sealed partial class StudyTests
{
    private static readonly Nb201SearchSpace s_space = new();

    // A deterministic objective: the number of 3x3 convolutions (max 6) plus a small tie-break by 1x1 convolutions.
    private static Dictionary<string, double> Score(NasKit.SearchSpace.Architecture a)
    {
        var cell = (Nb201Cell)a;
        var n3 = cell.Operations.Count(o => o == Nb201Operation.NorConv3x3);
        var n1 = cell.Operations.Count(o => o == Nb201Operation.NorConv1x1);
        return new() { ["accuracy"] = n3 + (0.1 * n1), ["macs"] = (9 * n3) + n1 };
    }

    private static ValueTask<IReadOnlyDictionary<string, double>> Evaluate(Trial t, CancellationToken _) => ValueTask.FromResult<IReadOnlyDictionary<string, double>>(Score(t.Architecture));

    [Test]
    public void AskTell_Complete_StoredWithMetrics()
    {
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")]);
        var trial = study.Ask();
        study.Tell(trial, Score(trial.Architecture));
        var stored = study.Trials.Single();
        Assert.Multiple(() =>
        {
            Assert.That(stored.State, Is.EqualTo(TrialState.Complete));
            Assert.That(stored.Architecture, Is.EqualTo(trial.Architecture.ToString()));
            Assert.That(study.BestTrial!.Number, Is.EqualTo(0));
        });
    }

    [Test]
    public void Tell_MissingObjectiveMetric_ThrowsAndTrialStaysRunning()
    {
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")]);
        var trial = study.Ask();
        var e = Assert.Throws<ArgumentException>(() => study.Tell(trial, new Dictionary<string, double> { ["loss"] = 1 }));
        Assert.That(e!.Message, Does.Contain("accuracy").And.Contain("loss"));
        Assert.That(study.Trials.Single().State, Is.EqualTo(TrialState.Running));
    }

    [Test]
    public async Task OptimizeAsync_ObjectiveThrows_TrialFailedWithReasonAndStudyGoesOn()
    {
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")]);
        var result = await study.OptimizeAsync((t, ct) => t.Number == 2 ? throw new InvalidOperationException("loss is NaN at epoch 3") : Evaluate(t, ct), trials: 6);
        var failed = study.Trials.Single(t => t.State == TrialState.Failed);
        Assert.Multiple(() =>
        {
            Assert.That(failed.Number, Is.EqualTo(2));
            Assert.That(failed.FailureReason, Does.Contain("NaN"));
            Assert.That(failed.Metrics, Is.Empty);
            Assert.That(result.TrialCount, Is.EqualTo(6));
            Assert.That(result.Stopped, Is.False);
        });
    }

    [Test]
    public async Task OptimizeAsync_Cancelled_ReturnsBestSoFar()
    {
        using var cts = new CancellationTokenSource();
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")]);
        var result = await study.OptimizeAsync((t, ct) =>
        {
            if (t.Number == 4)
            {
                cts.Cancel();
            }

            return Evaluate(t, ct);
        }, trials: 100, cancellationToken: cts.Token);

        Assert.Multiple(() =>
        {
            Assert.That(result.Stopped, Is.True);
            Assert.That(result.TrialCount, Is.EqualTo(5));
            Assert.That(result.BestTrial, Is.Not.Null);
            Assert.That(result.BestTrial!.Metrics["accuracy"], Is.EqualTo(study.Trials.Max(t => t.Metrics["accuracy"])));
        });
    }

    [Test]
    public async Task OptimizeAsync_ReopenedOnSameStore_ContinuesToBudgetWithSameSequence()
    {
        var store = new InMemoryTrialStore();
        var first = new Study("s", s_space, new RegularizedEvolution(), [Objective.Maximize("accuracy")], store, options: new StudyOptions { Seed = 9 });
        await first.OptimizeAsync(Evaluate, trials: 15);
        var resumed = new Study("s", s_space, new RegularizedEvolution(), [Objective.Maximize("accuracy")], store, options: new StudyOptions { Seed = 9 });
        await resumed.OptimizeAsync(Evaluate, trials: 40);

        var uninterrupted = new Study("u", s_space, new RegularizedEvolution(), [Objective.Maximize("accuracy")], options: new StudyOptions { Seed = 9 });
        await uninterrupted.OptimizeAsync(Evaluate, trials: 40);
        Assert.That(resumed.Trials.Select(t => t.Architecture), Is.EqualTo(uninterrupted.Trials.Select(t => t.Architecture)));
    }

    [Test]
    public void Constructor_ReopenWithOtherStrategy_Refused()
    {
        var store = new InMemoryTrialStore();
        _ = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], store);
        var e = Assert.Throws<ArgumentException>(() => new Study("s", s_space, new LocalSearch(), [Objective.Maximize("accuracy")], store));
        Assert.That(e!.Message, Does.Contain("strategy"));
    }

    [Test]
    public async Task BestTrials_TwoObjectives_ParetoFrontOfHandCheckedTrade_off()
    {
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy"), Objective.Minimize("macs")]);
        await study.OptimizeAsync(Evaluate, trials: 40);
        var done = study.Trials;
        var front = study.BestTrials;

        // No front member is dominated by any trial, and every other trial is dominated by some front member.
        static bool Dominates(FrozenTrial a, FrozenTrial b) =>
            a.Metrics["accuracy"] >= b.Metrics["accuracy"] && a.Metrics["macs"] <= b.Metrics["macs"]
            && (a.Metrics["accuracy"] > b.Metrics["accuracy"] || a.Metrics["macs"] < b.Metrics["macs"]);
        Assert.Multiple(() =>
        {
            Assert.That(front, Is.Not.Empty);
            Assert.That(front.Any(f => done.Any(o => Dominates(o, f))), Is.False);
            Assert.That(done.Except(front).All(t => front.Any(f => Dominates(f, t))), Is.True);
            Assert.Throws<InvalidOperationException>(() => _ = study.BestTrial);
        });
    }

    [Test]
    public async Task BestTrial_WithConstraint_PrefersFeasible()
    {
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], constraints: [Constraint.AtMost("macs", 10)]);
        await study.OptimizeAsync(Evaluate, trials: 40);
        var best = study.BestTrial!;
        var feasible = study.Trials.Where(t => t.Metrics["macs"] <= 10).ToList();
        Assert.That(feasible, Is.Not.Empty);
        Assert.That(best.Metrics["macs"], Is.LessThanOrEqualTo(10));
        Assert.That(best.Metrics["accuracy"], Is.EqualTo(feasible.Max(t => t.Metrics["accuracy"])));
    }

    [Test]
    public async Task OptimizeAsync_PrunerStopsWorseThanMedian_TrialPruned()
    {
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], pruner: new MedianPruner(startupTrials: 3));
        await study.OptimizeAsync((t, ct) =>
        {
            // Trials 0-2 report 0.5 at step 0; from trial 3 on, odd trials report 0.1 and must be pruned, even ones 0.9.
            var value = t.Number < 3 ? 0.5 : (t.Number % 2 == 1 ? 0.1 : 0.9);
            t.Report(0, value);
            if (t.ShouldPrune)
            {
                throw new TrialPrunedException();
            }

            return ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["accuracy"] = value });
        }, trials: 9);
        var states = study.Trials.Select(t => t.State).ToList();
        Assert.That(states, Is.EqualTo(new[]
        {
            TrialState.Complete, TrialState.Complete, TrialState.Complete, TrialState.Pruned, TrialState.Complete,
            TrialState.Pruned, TrialState.Complete, TrialState.Pruned, TrialState.Complete,
        }));
    }

    [Test]
    public async Task OptimizeAsync_FourWorkers_BudgetExactAndNoDuplicates()
    {
        var study = new Study("s", s_space, new RegularizedEvolution(), [Objective.Maximize("accuracy")]);
        await study.OptimizeAsync(async (t, ct) =>
        {
            await Task.Yield();
            return Score(t.Architecture);
        }, trials: 50, maxConcurrency: 4);
        Assert.That(study.Trials, Has.Count.EqualTo(50));
        Assert.That(study.Trials.Select(t => t.CanonicalHash).Distinct().Count(), Is.EqualTo(50));
    }

    [Test]
    public void Ask_GridExhausted_ThrowsWithCount()
    {
        var tiny = new Nb201SearchSpace();
        var study = new Study("s", tiny, new RandomSearch(), [Objective.Maximize("accuracy")], options: new StudyOptions { MaxProposalAttempts = 3 });
        var first = study.Ask();
        study.Tell(first, Score(first.Architecture));

        // With dedup on and only 3 attempts, a strategy that can only re-propose the first architecture must be refused.
        var stuck = new Study("t", tiny, new Repeat(first.Architecture), [Objective.Maximize("accuracy")], options: new StudyOptions { MaxProposalAttempts = 3 });
        stuck.Tell(stuck.Ask(), Score(first.Architecture));
        var e = Assert.Throws<InvalidOperationException>(() => stuck.Ask());
        Assert.That(e!.Message, Does.Contain("3 attempts"));
    }

    [Test]
    public async Task OptimizeAsync_WorkerDiedMidTrial_TrialFailedAndArchitectureRequeued()
    {
        var store = new InMemoryTrialStore();
        var options = new StudyOptions { Seed = 4, Lease = TimeSpan.FromMilliseconds(300), HeartbeatInterval = TimeSpan.FromMilliseconds(50), Worker = "dead" };
        var dead = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], store, options: options);
        var orphan = dead.Ask(); // the worker "dies": the trial is never told and never sends a heartbeat
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        var survivor = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], store,
            options: new StudyOptions { Seed = 4, Lease = TimeSpan.FromMilliseconds(300), HeartbeatInterval = TimeSpan.FromMilliseconds(50), Worker = "alive" });
        var result = await survivor.OptimizeAsync(Evaluate, trials: 5);
        var trials = survivor.Trials;

        Assert.Multiple(() =>
        {
            Assert.That(trials[0].IsLeaseExpired, Is.True, trials[0].FailureReason);
            Assert.That(trials[1].Architecture, Is.EqualTo(orphan.Architecture.ToString()), "the dead worker's architecture is asked again first");
            Assert.That(trials[1].State, Is.EqualTo(TrialState.Complete));
            Assert.That(trials.Count(t => t.State == TrialState.Complete), Is.EqualTo(5), "the budget counts the requeued trial once");
            Assert.That(result.TrialCount, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task OptimizeAsync_LongTrial_HeartbeatsKeepItAlive()
    {
        var store = new InMemoryTrialStore();
        var options = new StudyOptions { Lease = TimeSpan.FromMilliseconds(400), HeartbeatInterval = TimeSpan.FromMilliseconds(50) };
        var study = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], store, options: options);
        await study.OptimizeAsync(async (t, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000), ct);
            Assert.That(store.FailStaleTrials("s", options.Lease), Is.Empty, "a trial that sends heartbeats is not stale");
            return Score(t.Architecture);
        }, trials: 1);
        Assert.That(study.Trials.Single().State, Is.EqualTo(TrialState.Complete));
    }

    [Test]
    public async Task OptimizeAsync_DeadWorkerHoldsLastBudgetSlot_WaitsForLeaseAndCompletesBudget()
    {
        var store = new InMemoryTrialStore();
        StudyOptions Options(string worker) => new() { Seed = 2, Lease = TimeSpan.FromMilliseconds(300), HeartbeatInterval = TimeSpan.FromMilliseconds(50), Worker = worker };
        var first = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], store, options: Options("a"));
        await first.OptimizeAsync(Evaluate, trials: 4);
        _ = first.Ask(); // the 5th trial's worker dies

        var restarted = new Study("s", s_space, new RandomSearch(), [Objective.Maximize("accuracy")], store, options: Options("b"));
        var result = await restarted.OptimizeAsync(Evaluate, trials: 5);

        Assert.Multiple(() =>
        {
            Assert.That(restarted.Trials.Count(t => t.State == TrialState.Complete), Is.EqualTo(5));
            Assert.That(restarted.Trials.Count(t => t.IsLeaseExpired), Is.EqualTo(1));
            Assert.That(result.Stopped, Is.False);
        });
    }

    private sealed class Repeat(NasKit.SearchSpace.Architecture architecture) : ISearchStrategy
    {
        public string Name => "repeat";

        public NasKit.SearchSpace.Architecture Propose(StrategyContext context) => architecture;
    }
}
