using NasKit.Objectives.Evaluation;

namespace NasKit.Objectives.Tests.Evaluation;

public sealed class TrainingEvaluatorTests
{
    private static readonly TrainingRecipe s_recipe = new() { Epochs = 3, BatchSize = 16, LearningRate = 0.1, Seed = 7 };

    [Test]
    public async Task EvaluateAsync_SeparableBlobs_LearnsAndReportsEveryEpoch()
    {
        var evaluator = new TrainingEvaluator(TinyProblems.Mlp, TinyProblems.Blobs(256, seed: 1), TinyProblems.Blobs(128, seed: 2), s_recipe,
            testSet: TinyProblems.Blobs(128, seed: 3));
        var reporter = new RecordingReporter();

        var result = await evaluator.EvaluateAsync(TinyProblems.Mlp.Parse("width=8"), reporter);

        // Blobs with means ±(1,1,1,1) and σ = 0.5: the means are 4 apart, so the Bayes error is Φ(−(4/2)/0.5) = Φ(−4) ≈ 3e-5 and a trained
        // MLP must be nearly perfect; an untrained or mis-wired one sits near 0.5.
        Assert.Multiple(() =>
        {
            Assert.That(evaluator.MetricNames, Is.EqualTo(new[] { "val_accuracy", "train_loss", "test_accuracy" }));
            Assert.That(result[StandardMetrics.ValidationAccuracy], Is.GreaterThanOrEqualTo(0.97));
            Assert.That(result[StandardMetrics.TestAccuracy], Is.GreaterThanOrEqualTo(0.97));
            Assert.That(result[StandardMetrics.TrainLoss], Is.LessThan(0.3));
            Assert.That(reporter.Reports.Select(r => r.Step), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(reporter.Reports[^1].Values[StandardMetrics.ValidationAccuracy], Is.EqualTo(result[StandardMetrics.ValidationAccuracy]));
            Assert.That(reporter.Reports[0].Values[StandardMetrics.TrainLoss], Is.GreaterThan(reporter.Reports[^1].Values[StandardMetrics.TrainLoss]));
        });
    }

    [Test]
    public async Task EvaluateAsync_SameSeed_SameMetrics_OtherSeed_Different()
    {
        var train = TinyProblems.Blobs(128, seed: 1);
        var validation = TinyProblems.Blobs(64, seed: 2);
        var architecture = TinyProblems.Mlp.Parse("width=4");
        var recipe = s_recipe with { Epochs = 1 };

        var first = await new TrainingEvaluator(TinyProblems.Mlp, train, validation, recipe).EvaluateAsync(architecture, NullTrialReporter.Instance);
        var second = await new TrainingEvaluator(TinyProblems.Mlp, train, validation, recipe).EvaluateAsync(architecture, NullTrialReporter.Instance);
        var otherSeed = await new TrainingEvaluator(TinyProblems.Mlp, train, validation, recipe with { Seed = 8 }).EvaluateAsync(architecture, NullTrialReporter.Instance);

        Assert.Multiple(() =>
        {
            Assert.That(second[StandardMetrics.TrainLoss], Is.EqualTo(first[StandardMetrics.TrainLoss]));
            Assert.That(second[StandardMetrics.ValidationAccuracy], Is.EqualTo(first[StandardMetrics.ValidationAccuracy]));
            Assert.That(otherSeed[StandardMetrics.TrainLoss], Is.Not.EqualTo(first[StandardMetrics.TrainLoss]));
        });
    }

    [Test]
    public void EvaluateAsync_ReporterSaysPrune_StopsAfterThatEpoch()
    {
        var evaluator = new TrainingEvaluator(TinyProblems.Mlp, TinyProblems.Blobs(64, seed: 1), TinyProblems.Blobs(32, seed: 2), s_recipe);
        var reporter = new RecordingReporter(pruneFromStep: 1);

        Assert.Multiple(() =>
        {
            Assert.That(async () => await evaluator.EvaluateAsync(TinyProblems.Mlp.Parse("width=4"), reporter),
                Throws.TypeOf<TrialPrunedException>().With.Property(nameof(TrialPrunedException.Step)).EqualTo(1));
            Assert.That(reporter.Reports, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void EvaluateAsync_NaNLoss_FailsWithReasonNotMetric()
    {
        var evaluator = new TrainingEvaluator(TinyProblems.Mlp, TinyProblems.Blobs(32, seed: 1, allNaN: true), TinyProblems.Blobs(32, seed: 2), s_recipe);
        var reporter = new RecordingReporter();

        Assert.Multiple(() =>
        {
            Assert.That(async () => await evaluator.EvaluateAsync(TinyProblems.Mlp.Parse("width=4"), reporter),
                Throws.TypeOf<EvaluationFailedException>().With.Message.Contain("diverged").And.Message.Contain("NaN").And.Message.Contain("epoch 1, batch 1"));
            Assert.That(reporter.Reports, Is.Empty);
        });
    }

    [Test]
    public void EvaluateAsync_CancelledDuringTraining_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var evaluator = new TrainingEvaluator(TinyProblems.Mlp, TinyProblems.Blobs(64, seed: 1), TinyProblems.Blobs(32, seed: 2), s_recipe);
        var reporter = new RecordingReporter(onReport: _ => cancellation.Cancel());

        Assert.Multiple(() =>
        {
            Assert.That(async () => await evaluator.EvaluateAsync(TinyProblems.Mlp.Parse("width=4"), reporter, cancellation.Token),
                Throws.InstanceOf<OperationCanceledException>());
            Assert.That(reporter.Reports, Has.Count.EqualTo(1), "cancelled during epoch 2, before its report");
        });
    }

    [Test]
    public async Task EvaluateAsync_TrainSamplesSubset_UsesThatManySamples()
    {
        // With 20 of 200 samples and batch 16 an epoch has 2 batches instead of 13; with a constant learning rate, two SGD steps leave a
        // clearly higher mean training loss than thirteen.
        var train = TinyProblems.Blobs(200, seed: 1);
        var validation = TinyProblems.Blobs(64, seed: 2);
        var architecture = TinyProblems.Mlp.Parse("width=4");
        var recipe = s_recipe with { Epochs = 1, CosineSchedule = false };
        var full = await new TrainingEvaluator(TinyProblems.Mlp, train, validation, recipe).EvaluateAsync(architecture, NullTrialReporter.Instance);
        var subset = await new TrainingEvaluator(TinyProblems.Mlp, train, validation, recipe with { TrainSamples = 20 }).EvaluateAsync(architecture, NullTrialReporter.Instance);
        Assert.That(subset[StandardMetrics.TrainLoss], Is.GreaterThan(full[StandardMetrics.TrainLoss]), "two SGD steps leave a higher mean loss than thirteen");
    }

    [Test]
    public void Ctor_InvalidRecipe_ListsEveryProblem()
    {
        var recipe = new TrainingRecipe { Epochs = 0, BatchSize = 0, LearningRate = -1, Momentum = 0, Nesterov = true, TrainSamples = 0 };
        Assert.That(() => new TrainingEvaluator(TinyProblems.Mlp, TinyProblems.Blobs(8, 1), TinyProblems.Blobs(8, 2), recipe),
            Throws.ArgumentException
                .With.Message.Contain("Epochs=0")
                .And.Message.Contain("BatchSize=0")
                .And.Message.Contain("LearningRate=-1")
                .And.Message.Contain("Nesterov momentum needs 'Momentum > 0'")
                .And.Message.Contain("TrainSamples=0"));
    }

    [Test]
    public void Ctor_DatasetsDisagree_ThrowsWithShapes()
    {
        var other = new NasKit.Data.InMemoryDataset(new float[8], [0, 1], [4], numClasses: 3);
        Assert.That(() => new TrainingEvaluator(TinyProblems.Mlp, TinyProblems.Blobs(8, 1), other),
            Throws.ArgumentException.With.Message.Contain("2 classes").And.Message.Contain("[4] and 3"));
    }

    [Test]
    public void EvaluateAsync_InputShapeMismatch_ThrowsBeforeTraining()
    {
        var images = new NasKit.Data.InMemoryDataset(new float[2 * 16], [0, 1], [1, 4, 4], numClasses: 2);
        var evaluator = new TrainingEvaluator(TinyProblems.Mlp, images, images);
        Assert.That(async () => await evaluator.EvaluateAsync(TinyProblems.Mlp.Parse("width=4"), NullTrialReporter.Instance),
            Throws.ArgumentException.With.Message.Contain("[4]").And.Message.Contain("[1, 4, 4]"));
    }
}
