using NasKit.Optimizers;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Storage;
using NUnit.Framework;

namespace NasKit.Testing;

/// <summary>
/// The contract every <see cref="ITrialStore"/> must keep, as an abstract NUnit fixture: derive a <c>[TestFixture]</c> from it and
/// return a fresh, empty store from <see cref="CreateStore"/>.
/// </summary>
/// <remarks>Checks: round trip of every field; dense trial numbers; the Running → final-state machine (once, with metrics or a reason);
/// refusal of non-finite metrics; attribute checks on reopening; concurrent writers lose nothing; hyper-parameters with their distributions
/// round-trip (also through <see cref="Reopen"/>), are set only on running trials, once, inside their distribution, and keep one
/// distribution per name within a study.</remarks>
public abstract class TrialStoreConformanceTests
{
    private static readonly Dictionary<string, string> s_attributes = new() { ["space"] = "nb201", ["objectives"] = "accuracy:max" };

    /// <summary>Creates a fresh, empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract ITrialStore CreateStore();

    /// <summary>Closes a store and opens it again on the same data (a durable store reopens its file); a store that lives in memory
    /// returns itself, which is the default.</summary>
    /// <param name="store">A store made by <see cref="CreateStore"/>.</param>
    /// <returns>The reopened store.</returns>
    protected virtual ITrialStore Reopen(ITrialStore store) => store;

    /// <summary>Checks that hyper-parameters of every distribution kind come back with their values and distributions, also after reopening.</summary>
    [Test]
    public void SetTrialParameter_EveryDistributionKind_RoundTripsThroughReopen()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        store.CreateTrial("s", "a", "h", new Dictionary<string, double> { ["legacy"] = 2.5 });
        var distributions = new Dictionary<string, ParameterDistribution>
        {
            ["layers"] = new IntDistribution(1, 9, step: 2),
            ["units"] = new IntDistribution(8, 512, log: true),
            ["lr"] = new FloatDistribution(1e-5, 0.1, log: true),
            ["dropout"] = new FloatDistribution(0, 0.5, step: 0.1),
            ["optimizer"] = CategoricalDistribution.Of(["sgd", "adam"]),
            ["momentum"] = CategoricalDistribution.Of([0.0, 0.9, 0.99]),
            ["nesterov"] = CategoricalDistribution.Of([false, true]),
        };
        var values = new Dictionary<string, double> { ["layers"] = 7, ["units"] = 100, ["lr"] = 0.0012345678901234567, ["dropout"] = 0.30000000000000004, ["optimizer"] = 1, ["momentum"] = 2, ["nesterov"] = 0 };
        foreach (var (name, distribution) in distributions)
        {
            store.SetTrialParameter("s", 0, name, values[name], distribution);
        }

        store.FinishTrial("s", 0, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = 0.5 });
        store = Reopen(store);
        var trial = store.GetTrials("s")[0];

        Assert.Multiple(() =>
        {
            Assert.That(trial.Parameters, Has.Count.EqualTo(distributions.Count + 1));
            Assert.That(trial.Parameters["legacy"], Is.EqualTo(2.5));
            Assert.That(trial.Distributions.ContainsKey("legacy"), Is.False, "a parameter given to CreateTrial has no distribution");
            foreach (var (name, distribution) in distributions)
            {
                Assert.That(trial.Parameters[name], Is.EqualTo(values[name]), name);
                Assert.That(trial.Distributions[name], Is.EqualTo(distribution), name);
            }

            Assert.That(trial.GetParameter<int>("units"), Is.EqualTo(100));
            Assert.That(trial.GetParameter<string>("optimizer"), Is.EqualTo("adam"));
            Assert.That(trial.GetParameter<double>("momentum"), Is.EqualTo(0.99));
            Assert.That(trial.GetParameter<bool>("nesterov"), Is.False);
        });
    }

    /// <summary>Checks that a parameter is set only on a running trial, once, and only with a value inside its distribution.</summary>
    [Test]
    public void SetTrialParameter_FinishedRepeatedOrOutside_RefusedAndNothingStored()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        store.CreateTrial("s", "a", "h");
        store.CreateTrial("s", "b", "h2");
        var lr = new FloatDistribution(0.001, 0.1);
        store.SetTrialParameter("s", 0, "lr", 0.01, lr);
        store.FinishTrial("s", 1, TrialState.Pruned);

        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidOperationException>(() => store.SetTrialParameter("s", 0, "lr", 0.02, lr));
            Assert.Throws<InvalidOperationException>(() => store.SetTrialParameter("s", 1, "lr", 0.02, lr));
            var outside = Assert.Throws<ArgumentException>(() => store.SetTrialParameter("s", 0, "wd", 0.5, lr));
            Assert.That(outside!.Message, Does.Contain("0.5").And.Contain("wd"));
            Assert.Throws<ArgumentException>(() => store.SetTrialParameter("s", 0, " ", 0.05, lr));
            Assert.Throws<KeyNotFoundException>(() => store.SetTrialParameter("s", 5, "lr", 0.05, lr));
            Assert.Throws<KeyNotFoundException>(() => store.SetTrialParameter("missing", 0, "lr", 0.05, lr));
        });
        var trials = store.GetTrials("s");
        Assert.Multiple(() =>
        {
            Assert.That(trials[0].Parameters, Is.EqualTo(new Dictionary<string, double> { ["lr"] = 0.01 }));
            Assert.That(trials[1].Parameters, Is.Empty);
        });
    }

    /// <summary>Checks that a name keeps one distribution within a study (the message gives both), and that other studies are independent.</summary>
    [Test]
    public void SetTrialParameter_OtherDistributionForName_RefusedWithBoth()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        store.CreateOrOpenStudy("t", s_attributes);
        store.CreateTrial("s", "a", "h");
        store.CreateTrial("s", "b", "h2");
        store.CreateTrial("t", "a", "h");
        store.SetTrialParameter("s", 0, "lr", 0.01, new FloatDistribution(0.001, 0.1, log: true));
        store.SetTrialParameter("s", 1, "lr", 0.02, new FloatDistribution(0.001, 0.1, log: true));

        store.SetTrialParameter("s", 1, "wd", 0.02, new FloatDistribution(0, 1));
        var e = Assert.Throws<ArgumentException>(() => store.SetTrialParameter("s", 0, "wd", 0.5, new FloatDistribution(0, 2)));
        store.SetTrialParameter("t", 0, "lr", 0.5, new FloatDistribution(0, 1));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("wd").And.Contain("float [0, 1]").And.Contain("float [0, 2]"));
            Assert.That(store.GetTrials("s")[0].Parameters.ContainsKey("wd"), Is.False);
            Assert.That(store.GetTrials("t")[0].Parameters["lr"], Is.EqualTo(0.5));
        });
    }

    /// <summary>Checks that a created study reopens with the same attributes and refuses different ones.</summary>
    [Test]
    public void CreateOrOpenStudy_SameAttributes_OpensDifferentRefused()
    {
        var store = CreateStore();
        Assert.That(store.CreateOrOpenStudy("s", s_attributes), Is.True);
        Assert.That(store.CreateOrOpenStudy("s", s_attributes), Is.False);
        var different = new Dictionary<string, string>(s_attributes) { ["space"] = "darts" };
        var e = Assert.Throws<ArgumentException>(() => store.CreateOrOpenStudy("s", different));
        Assert.That(e!.Message, Does.Contain("space").And.Contain("nb201").And.Contain("darts"));
        Assert.That(store.GetStudyAttributes("s"), Is.EquivalentTo(s_attributes));
        Assert.That(store.GetStudyAttributes("missing"), Is.Null);
    }

    /// <summary>Checks that every field written comes back, and trial numbers are dense from 0.</summary>
    [Test]
    public void FinishTrial_CompleteWithIntermediates_RoundTrips()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        var t0 = store.CreateTrial("s", "arch-a", "hash-a", new Dictionary<string, double> { ["lr"] = 0.05 });
        var t1 = store.CreateTrial("s", "arch-b", "hash-b");
        store.ReportIntermediate("s", 0, new IntermediateValue(0, new Dictionary<string, double> { ["accuracy"] = 0.5 }));
        store.ReportIntermediate("s", 0, new IntermediateValue(1, new Dictionary<string, double> { ["accuracy"] = 0.7 }));
        store.FinishTrial("s", 0, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = 0.75, ["macs"] = 1e6 });
        store.FinishTrial("s", 1, TrialState.Failed, failureReason: "loss diverged (NaN) at step 3");
        var trials = store.GetTrials("s");

        Assert.Multiple(() =>
        {
            Assert.That(new[] { t0.Number, t1.Number }, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(trials, Has.Count.EqualTo(2));
            Assert.That(trials[0].State, Is.EqualTo(TrialState.Complete));
            Assert.That(trials[0].Architecture, Is.EqualTo("arch-a"));
            Assert.That(trials[0].CanonicalHash, Is.EqualTo("hash-a"));
            Assert.That(trials[0].Parameters["lr"], Is.EqualTo(0.05));
            Assert.That(trials[0].Metrics["accuracy"], Is.EqualTo(0.75));
            Assert.That(trials[0].Metrics["macs"], Is.EqualTo(1e6));
            Assert.That(trials[0].Intermediate.Select(v => v.Step), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(trials[0].Intermediate[1].Values["accuracy"], Is.EqualTo(0.7));
            Assert.That(trials[0].FinishedAt, Is.Not.Null);
            Assert.That(trials[1].State, Is.EqualTo(TrialState.Failed));
            Assert.That(trials[1].FailureReason, Does.Contain("NaN"));
            Assert.That(trials[1].Metrics, Is.Empty);
        });
    }

    /// <summary>Checks the state machine: a trial finishes once; Complete needs metrics; Failed needs a reason; Running is not final.</summary>
    [Test]
    public void FinishTrial_InvalidTransitions_Refused()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        store.CreateTrial("s", "a", "h");
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => store.FinishTrial("s", 0, TrialState.Running));
            Assert.Throws<ArgumentException>(() => store.FinishTrial("s", 0, TrialState.Complete));
            Assert.Throws<ArgumentException>(() => store.FinishTrial("s", 0, TrialState.Failed, failureReason: " "));
            Assert.Throws<ArgumentException>(() => store.FinishTrial("s", 0, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = double.NaN }));
        });
        Assert.That(store.GetTrials("s")[0].State, Is.EqualTo(TrialState.Running), "refused calls change nothing");
        store.FinishTrial("s", 0, TrialState.Pruned);
        Assert.Throws<InvalidOperationException>(() => store.FinishTrial("s", 0, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = 1 }));
        Assert.Throws<InvalidOperationException>(() => store.ReportIntermediate("s", 0, new IntermediateValue(5, new Dictionary<string, double>())));
        Assert.That(store.GetTrials("s")[0].State, Is.EqualTo(TrialState.Pruned));
    }

    /// <summary>Checks that unknown studies and trials fail with a clear error.</summary>
    [Test]
    public void GetTrials_UnknownStudyOrTrial_Throws()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        Assert.Throws<KeyNotFoundException>(() => store.GetTrials("other"));
        Assert.Throws<KeyNotFoundException>(() => store.CreateTrial("other", "a", "h"));
        var e = Assert.Throws<KeyNotFoundException>(() => store.FinishTrial("s", 3, TrialState.Pruned));
        Assert.That(e!.Message, Does.Contain("3"));
    }

    /// <summary>Checks that a step is reported once.</summary>
    [Test]
    public void ReportIntermediate_SameStepTwice_Refused()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        store.CreateTrial("s", "a", "h");
        store.ReportIntermediate("s", 0, new IntermediateValue(2, new Dictionary<string, double> { ["accuracy"] = 0.1 }));
        Assert.Throws<InvalidOperationException>(() => store.ReportIntermediate("s", 0, new IntermediateValue(2, new Dictionary<string, double> { ["accuracy"] = 0.2 })));
        Assert.That(store.GetTrials("s")[0].Intermediate.Single().Values["accuracy"], Is.EqualTo(0.1));
    }

    /// <summary>Checks that four concurrent workers creating and finishing trials lose nothing and get distinct, dense numbers.</summary>
    [Test]
    public void CreateTrial_FourConcurrentWorkers_DenseNumbersNothingLost()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        const int perWorker = 25;
        var numbers = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            for (var i = 0; i < perWorker; i++)
            {
                var t = store.CreateTrial("s", $"arch-{w}-{i}", $"hash-{w}-{i}");
                numbers.Add(t.Number);
                store.FinishTrial("s", t.Number, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = w + (i / 100.0) });
            }
        });
        var trials = store.GetTrials("s");
        Assert.Multiple(() =>
        {
            Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(0, 4 * perWorker)));
            Assert.That(trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 4 * perWorker)));
            Assert.That(trials.All(t => t.State == TrialState.Complete), Is.True);
            Assert.That(trials.Select(t => t.Architecture).Distinct().Count(), Is.EqualTo(4 * perWorker));
        });
    }

    /// <summary>Checks that a trial without a recent heartbeat is failed (once) with the lease reason, and a live one is not.</summary>
    [Test]
    public void FailStaleTrials_SilentWorker_FailedOnceLiveOneKept()
    {
        var store = CreateStore();
        store.CreateOrOpenStudy("s", s_attributes);
        store.CreateTrial("s", "silent", "h0", worker: "host:1");
        store.CreateTrial("s", "alive", "h1", worker: "host:2");
        store.CreateTrial("s", "done", "h2", worker: "host:3");
        store.FinishTrial("s", 2, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = 0.5 });
        Thread.Sleep(TimeSpan.FromSeconds(1.5));
        store.Heartbeat("s", 1);
        store.Heartbeat("s", 2); // ignored: finished
        var failed = store.FailStaleTrials("s", TimeSpan.FromSeconds(1));
        var again = store.FailStaleTrials("s", TimeSpan.FromSeconds(1));
        var trials = store.GetTrials("s");

        Assert.Multiple(() =>
        {
            Assert.That(failed.Select(t => t.Number), Is.EqualTo(new[] { 0 }));
            Assert.That(again, Is.Empty);
            Assert.That(trials[0].State, Is.EqualTo(TrialState.Failed));
            Assert.That(trials[0].IsLeaseExpired, Is.True);
            Assert.That(trials[0].FailureReason, Does.Contain("host:1"));
            Assert.That(trials[1].State, Is.EqualTo(TrialState.Running));
            Assert.That(trials[1].Worker, Is.EqualTo("host:2"));
            Assert.That(trials[1].LastHeartbeat, Is.GreaterThan(trials[1].StartedAt));
            Assert.That(trials[2].State, Is.EqualTo(TrialState.Complete));
        });
    }
}
