using NasKit.Optimizers.OneShot;
using NasKit.Optimizers.Storage;
using NasKit.SearchSpace.Nb201;
using NasKit.Supernet.Mixing;

namespace NasKit.Optimizers.Tests.OneShot;

public sealed class OneShotSearchTests
{
    private static readonly OneShotMethod[] s_methods = Enum.GetValues<OneShotMethod>();

    private string _folder = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "naskit-oneshot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [TestCaseSource(nameof(s_methods))]
    public void Run_TinyData_ReportsEveryEpochAndTrainsAlphaUnlessSpos(OneShotMethod method)
    {
        var reports = new List<OneShotEpochReport>();
        using var result = new OneShotSearch(Tiny(method, epochs: 2)).Run(OneShotTestData.Create(96, seed: 1), new Collect(reports.Add));

        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(r => r.Epoch), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(result.History, Has.Count.EqualTo(2));
            Assert.That(result.SearchSeconds, Is.GreaterThan(0));
            Assert.That(reports.All(r => double.IsFinite(r.TrainLoss) && r.TrainLoss > 0), Is.True);
            Assert.That(result.Cell.Operations, Has.Count.EqualTo(Nb201Cell.EdgeCount));
            if (method == OneShotMethod.Spos)
            {
                Assert.That(reports.All(r => r.Cell is null && r.ArchitectureAccuracy is null), Is.True, "SPOS derives no cell per epoch");
            }
            else
            {
                Assert.That(result.Alpha.Max(a => Math.Abs(a)), Is.GreaterThan(0.01), "α moved away from its 1e-3 initialization");
                Assert.That(result.Cell, Is.EqualTo(result.Supernet.DeriveCell()));
                Assert.That(reports.All(r => r.ArchitectureAccuracy is >= 0 and <= 1), Is.True);
            }
        });
    }

    [TestCaseSource(nameof(s_methods))]
    public void Run_CancelledAfterAnEpochThenResumed_EndsExactlyLikeAnUninterruptedRun(OneShotMethod method)
    {
        var data = OneShotTestData.Create(96, seed: 2);
        float[] expectedAlpha;
        Nb201Cell expectedCell;
        using (var uninterrupted = new OneShotSearch(Tiny(method, epochs: 3)).Run(data))
        {
            expectedAlpha = [.. uninterrupted.Alpha];
            expectedCell = uninterrupted.Cell;
        }

        var checkpoint = Path.Combine(_folder, "search.ckpt");
        var options = Tiny(method, epochs: 3) with { CheckpointPath = checkpoint };
        using var cts = new CancellationTokenSource();
        Assert.That(
            () => new OneShotSearch(options).Run(data, new Collect(r => { if (r.Epoch == 0) { cts.Cancel(); } }), cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(File.Exists(checkpoint), Is.True, "the checkpoint of epoch 0 exists");

        var resumedEpochs = new List<int>();
        using var resumed = new OneShotSearch(options).Run(data, new Collect(r => resumedEpochs.Add(r.Epoch)));

        Assert.Multiple(() =>
        {
            Assert.That(resumedEpochs, Is.EqualTo(new[] { 1, 2 }), "the resumed run starts after the checkpointed epoch");
            Assert.That(resumed.Alpha, Is.EqualTo(expectedAlpha), "α bit for bit");
            Assert.That(resumed.Cell, Is.EqualTo(expectedCell));
            Assert.That(resumed.History, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void Run_SameSeedTwice_SameAlpha_OtherSeed_DifferentAlpha()
    {
        var data = OneShotTestData.Create(96, seed: 3);
        float[] Alpha(long seed)
        {
            using var r = new OneShotSearch(Tiny(OneShotMethod.Gdas, epochs: 2) with { Seed = seed }).Run(data);
            return [.. r.Alpha];
        }

        var a = Alpha(7);
        Assert.Multiple(() =>
        {
            Assert.That(Alpha(7), Is.EqualTo(a));
            Assert.That(Alpha(8), Is.Not.EqualTo(a));
        });
    }

    [TestCase(OneShotMethod.Darts2)]
    [TestCase(OneShotMethod.ZoDarts)]
    [TestCase(OneShotMethod.ZoDartsPlus)]
    public void Run_ConcurrentOrSequentialPasses_TakeTheSameStepsUpToRounding(OneShotMethod method)
    {
        var data = OneShotTestData.Create(96, seed: 3);
        (float[] Alpha, string Cell) Search(bool concurrent)
        {
            using var r = new OneShotSearch(Tiny(method, epochs: 1) with { ConcurrentPasses = concurrent }).Run(data);
            return ([.. r.Alpha], r.Cell.ToString());
        }

        var concurrent = Search(concurrent: true);
        var sequential = Search(concurrent: false);
        Assert.Multiple(() =>
        {
            Assert.That(concurrent.Alpha, Is.EqualTo(sequential.Alpha).Within(1e-3f), "α after the same architecture steps");
            Assert.That(sequential.Alpha.Max(Math.Abs), Is.GreaterThan(0.01f), "α moved well beyond the tolerance");
            Assert.That(concurrent.Cell, Is.EqualTo(sequential.Cell));
        });
    }

    [Test]
    public void Run_CheckpointOfAnotherSearch_ThrowsAndLeavesTheFileUntouched()
    {
        var data = OneShotTestData.Create(96, seed: 4);
        var checkpoint = Path.Combine(_folder, "other.ckpt");
        using (new OneShotSearch(Tiny(OneShotMethod.Darts, epochs: 1) with { CheckpointPath = checkpoint }).Run(data))
        {
        }

        var before = File.ReadAllBytes(checkpoint);
        var other = Tiny(OneShotMethod.ZoDarts, epochs: 2) with { CheckpointPath = checkpoint };

        Assert.Multiple(() =>
        {
            Assert.That(() => new OneShotSearch(other).Run(data), Throws.InstanceOf<CheckpointMismatchException>().With.Message.Contains("different search").And.Message.Contains("\"Method\":\"ZoDarts\""));
            Assert.That(File.ReadAllBytes(checkpoint), Is.EqualTo(before));
        });
    }

    [Test]
    public void Run_WithStore_RecordsEachEpochsCellOnceEvenWhenResumed()
    {
        var data = OneShotTestData.Create(96, seed: 5);
        var store = new InMemoryTrialStore();
        var options = Tiny(OneShotMethod.ZoDartsPlus, epochs: 3) with { CheckpointPath = Path.Combine(_folder, "s.ckpt") };
        using var cts = new CancellationTokenSource();
        Assert.That(() => new OneShotSearch(options, store, "zo").Run(data, new Collect(r => { if (r.Epoch == 1) { cts.Cancel(); } }), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        using var result = new OneShotSearch(options, store, "zo").Run(data);

        var trials = store.GetTrials("zo");
        Assert.Multiple(() =>
        {
            Assert.That(trials.Select(t => t.Metrics["epoch"]), Is.EqualTo(new[] { 0.0, 1.0, 2.0 }));
            Assert.That(trials.All(t => t.State == TrialState.Complete), Is.True);
            Assert.That(trials[^1].Architecture, Is.EqualTo(result.Cell.ToString()));
            Assert.That(store.GetStudyAttributes("zo")!["strategy"], Is.EqualTo("zo-darts+"));
        });
    }

    [Test]
    public void Run_ZoDartsPlusAndGdas_FollowTheirTemperatureSchedules()
    {
        var data = OneShotTestData.Create(64, seed: 6);
        var zo = new List<double?>();
        var gdas = new List<double?>();
        using (new OneShotSearch(Tiny(OneShotMethod.ZoDartsPlus, epochs: 6)).Run(data, new Collect(r => zo.Add(r.Temperature))))
        {
        }

        using (new OneShotSearch(Tiny(OneShotMethod.Gdas, epochs: 3)).Run(data, new Collect(r => gdas.Add(r.Temperature))))
        {
        }

        Assert.Multiple(() =>
        {
            // ALGORITHMS.md §1: T(e) = 1.5·0.75^⌊e/5⌋; GDAS: τ from 10 to 0.1 linearly.
            Assert.That(zo, Is.EqualTo(new double?[] { 1.5, 1.5, 1.5, 1.5, 1.5, 1.125 }).Within(1e-12));
            Assert.That(gdas, Is.EqualTo(new double?[] { 10, 5.05, 0.1 }).Within(1e-12));
        });
    }

    [Test]
    public void Run_ZoDartsPlusWithALowTemperature_SkipsOperations_SoftmaxDoesNot()
    {
        var data = OneShotTestData.Create(64, seed: 7);
        var sparse = new List<double>();
        var dense = new List<double>();
        using (new OneShotSearch(Tiny(OneShotMethod.ZoDartsPlus, epochs: 2) with { InitialTemperature = 1e-4 }).Run(data, new Collect(r => sparse.Add(r.ActiveOperations))))
        {
        }

        using (new OneShotSearch(Tiny(OneShotMethod.ZoDarts, epochs: 2)).Run(data, new Collect(r => dense.Add(r.ActiveOperations))))
        {
        }

        // sparsemax(α/T) with a tiny T is (nearly) one-hot: about one operation per edge keeps a non-zero weight; softmax keeps all five.
        Assert.Multiple(() =>
        {
            Assert.That(sparse, Is.All.LessThanOrEqualTo(1.5));
            Assert.That(dense, Is.All.EqualTo(5.0));
        });
    }

    [Test]
    public void Run_SamplesOfTheWrongShape_ThrowWithBothShapes()
    {
        var data = OneShotTestData.Create(32, seed: 8);
        var options = Tiny(OneShotMethod.Darts, epochs: 1) with { Network = OneShotTestData.Network with { InputChannels = 3 } };
        Assert.That(() => new OneShotSearch(options).Run(data), Throws.ArgumentException.With.Message.Contains("[3, H, W]").And.Message.Contains("[1, 8, 8]"));
    }

    [Test]
    public void Run_ZoDartsWithFewerStepsPerEpochThanRounds_ThrowsInsteadOfNeverUpdatingAlpha()
    {
        var options = Tiny(OneShotMethod.ZoDartsPlus, epochs: 1) with { Rounds = 10 };
        Assert.That(() => new OneShotSearch(options).Run(OneShotTestData.Create(96, seed: 9)), Throws.ArgumentException.With.Message.Contains("every 10 weight steps").And.Message.Contains("only 6 steps"));
    }

    [Test]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new OneShotSearchOptions(OneShotMethod.ZoDarts) { Epochs = 0, Rounds = 0 };
        Assert.That(() => new OneShotSearch(options), Throws.ArgumentException.With.Message.Contains("Epochs > 0").And.Message.Contains("Rounds > 0"));
    }

    private static OneShotSearchOptions Tiny(OneShotMethod method, int epochs) => new(method)
    {
        Network = OneShotTestData.Network,
        Epochs = epochs,
        BatchSize = 8,
        Seed = 1,
        ArchitectureLearningRate = 0.05,
        Rounds = 2,
        EvolutionPopulation = 6,
        EvolutionGenerations = 2,
        EvolutionParents = 3,
        EvolutionMutations = 2,
        EvolutionCrossovers = 2,
        RecalibrationBatches = 2,
        EvaluationBatches = 2,
        EvaluationBatchSize = 16,
    };

    private sealed class Collect(Action<OneShotEpochReport> action) : IProgress<OneShotEpochReport>
    {
        public void Report(OneShotEpochReport value) => action(value);
    }
}
