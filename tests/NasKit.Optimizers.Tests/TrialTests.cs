using NasKit.Objectives;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Samplers;
using NasKit.Optimizers.Storage;
using NasKit.Optimizers.Strategies;

namespace NasKit.Optimizers.Tests;

public sealed class TrialTests
{
    private static Study NewStudy(long seed = 1, ITrialStore? store = null, IParameterSampler? sampler = null, StudyOptions? options = null)
    {
        options ??= FixedSpace.Options(seed);
        if (sampler is not null)
        {
            options.Sampler = sampler;
        }

        return new Study("hp", FixedSpace.Instance, new RandomSearch(), [Objective.Minimize("loss")], store, options: options);
    }

    [Test]
    public void SuggestFloat_SameNameSameDistribution_ReturnsStoredValue()
    {
        var study = NewStudy();
        var trial = study.Ask();
        var first = trial.SuggestFloat("lr", 1e-5, 1e-1, log: true);
        var again = trial.SuggestFloat("lr", 1e-5, 1e-1, log: true);
        var stored = study.Trials[0];
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(first, Is.InRange(1e-5, 1e-1));
            Assert.That(stored.State, Is.EqualTo(TrialState.Running), "values are stored when suggested, before the trial ends");
            Assert.That(stored.Parameters["lr"], Is.EqualTo(first));
            Assert.That(stored.Distributions["lr"], Is.EqualTo(new FloatDistribution(1e-5, 1e-1, log: true)));
        });
    }

    [Test]
    public void SuggestFloat_NameUsedWithOtherDistribution_ThrowsWithBoth()
    {
        var study = NewStudy();
        var first = study.Ask();
        first.SuggestFloat("lr", 0.001, 0.1);
        study.Tell(first, new Dictionary<string, double> { ["loss"] = 1 });
        var second = study.Ask();

        var sameTrial = Assert.Throws<ArgumentException>(() => first.SuggestInt("lr", 1, 5));
        var otherTrial = Assert.Throws<ArgumentException>(() => second.SuggestFloat("lr", 0.001, 0.2));
        Assert.Multiple(() =>
        {
            Assert.That(sameTrial!.Message, Does.Contain("'lr'").And.Contain("float [0.001, 0.1]").And.Contain("int [1, 5]"));
            Assert.That(otherTrial!.Message, Does.Contain("float [0.001, 0.1]").And.Contain("float [0.001, 0.2]"));
            Assert.That(study.Trials[1].Parameters, Is.Empty);
        });
    }

    [Test]
    public void SuggestInt_InvalidRange_ThrowsOptunaStyleMessage()
    {
        var trial = NewStudy().Ask();
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentException>(() => trial.SuggestInt("n", 10, 1))!.Message, Does.StartWith("'low <= high' must hold, but got low=10, high=1."));
            Assert.That(Assert.Throws<ArgumentException>(() => trial.SuggestFloat("x", 1e-3, 1, step: 0.1, log: true))!.Message, Does.Contain("exclusive"));
            Assert.That(Assert.Throws<ArgumentException>(() => trial.SuggestFloat("x", 0, 1, log: true))!.Message, Does.Contain("'low > 0'"));
            Assert.That(Assert.Throws<ArgumentException>(() => trial.SuggestFloat(" ", 0, 1)), Is.Not.Null);
        });
    }

    [Test]
    public void SuggestInt_StepAndSingleValue_OnGridAndSingleReturned()
    {
        var trial = NewStudy().Ask();
        var stepped = Enumerable.Range(0, 20).Select(i => trial.SuggestInt($"n{i}", 0, 10, step: 3)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(stepped, Is.All.AnyOf(0, 3, 6, 9));
            Assert.That(stepped.Distinct().Count(), Is.GreaterThan(1));
            Assert.That(trial.SuggestInt("single", 4, 4), Is.EqualTo(4));
            Assert.That(trial.SuggestCategorical("only", ["x"]), Is.EqualTo("x"));
            Assert.That(trial.SuggestFloat("point", 0.5, 0.5), Is.EqualTo(0.5));
        });
    }

    [Test]
    public void SuggestCategorical_EveryChoiceType_ReturnsAChoiceAndStoresIndex()
    {
        var study = NewStudy();
        var trial = study.Ask();
        var s = trial.SuggestCategorical("optimizer", ["sgd", "adam", "rmsprop"]);
        var i = trial.SuggestCategorical("width", [16, 32, 64]);
        var d = trial.SuggestCategorical("momentum", [0.0, 0.9]);
        var b = trial.SuggestCategorical("nesterov", [false, true]);
        var stored = study.Trials[0];
        Assert.Multiple(() =>
        {
            Assert.That(s, Is.AnyOf("sgd", "adam", "rmsprop"));
            Assert.That(i, Is.AnyOf(16, 32, 64));
            Assert.That(d, Is.AnyOf(0.0, 0.9));
            Assert.That(stored.Parameters["optimizer"], Is.EqualTo((double)new[] { "sgd", "adam", "rmsprop" }.ToList().IndexOf(s)));
            Assert.That(stored.GetParameter<string>("optimizer"), Is.EqualTo(s));
            Assert.That(stored.GetParameter<int>("width"), Is.EqualTo(i));
            Assert.That(stored.GetParameter<bool>("nesterov"), Is.EqualTo(b));
            Assert.Throws<InvalidCastException>(() => stored.GetParameter<string>("width"));
        });
    }

    [Test]
    public void Suggest_SameSeedAnyOrder_SameValuesOtherSeedDifferent()
    {
        static (double Lr, int Units) Run(long seed, bool lrFirst)
        {
            var trial = NewStudy(seed).Ask();
            if (lrFirst)
            {
                var lr = trial.SuggestFloat("lr", 1e-5, 1, log: true);
                return (lr, trial.SuggestInt("units", 1, 1000));
            }

            var units = trial.SuggestInt("units", 1, 1000);
            return (trial.SuggestFloat("lr", 1e-5, 1, log: true), units);
        }

        var a = Run(7, lrFirst: true);
        Assert.Multiple(() =>
        {
            Assert.That(Run(7, lrFirst: false), Is.EqualTo(a));
            Assert.That(Run(8, lrFirst: true), Is.Not.EqualTo(a));
        });
    }

    [Test]
    public void Suggest_FinishedTrial_ThrowsButStoredValueStillReturned()
    {
        var study = NewStudy();
        var trial = study.Ask();
        var x = trial.SuggestFloat("x", 0, 1);
        study.Tell(trial, TrialState.Pruned);
        Assert.Multiple(() =>
        {
            Assert.That(trial.SuggestFloat("x", 0, 1), Is.EqualTo(x));
            Assert.That(Assert.Throws<InvalidOperationException>(() => trial.SuggestFloat("y", 0, 1))!.Message, Does.Contain("Pruned"));
        });
    }

    [Test]
    public void Suggest_SamplerReturnsValueOutsideDistribution_ThrowsNamingSampler()
    {
        var study = NewStudy(sampler: new OutOfRangeSampler());
        var e = Assert.Throws<InvalidOperationException>(() => study.Ask().SuggestFloat("x", 0, 1));
        Assert.That(e!.Message, Does.Contain("broken").And.Contain("'x'").And.Contain("float [0, 1]"));
    }

    [Test]
    public void Ask_WorkerOfTrialDied_RequeuedTrialKeepsItsParameters()
    {
        var clock = new ManualClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new InMemoryTrialStore(clock);
        var options = FixedSpace.Options(5);
        options.Lease = TimeSpan.FromMinutes(1);
        var study = NewStudy(store: store, options: options);
        var dead = study.Ask();
        var lr = dead.SuggestFloat("lr", 1e-4, 1, log: true);
        var width = dead.SuggestCategorical("width", [8, 16, 32]);
        clock.Now += TimeSpan.FromMinutes(5);

        var retry = study.Ask();
        Assert.Multiple(() =>
        {
            Assert.That(study.Trials[0].IsLeaseExpired, Is.True);
            Assert.That(retry.Number, Is.EqualTo(1));
            Assert.That(retry.SuggestFloat("lr", 1e-4, 1, log: true), Is.EqualTo(lr));
            Assert.That(retry.SuggestCategorical("width", [8, 16, 32]), Is.EqualTo(width));
        });
    }

    private sealed class OutOfRangeSampler : IParameterSampler
    {
        public string Name => "broken";

        public double Sample(ParameterSamplingContext context) => 2.0;
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
