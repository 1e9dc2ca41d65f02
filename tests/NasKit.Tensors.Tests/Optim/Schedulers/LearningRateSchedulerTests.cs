using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;
using NasKit.Tensors.Optim.Schedulers;

namespace NasKit.Tensors.Tests.Optim.Schedulers;

public class LearningRateSchedulerTests
{
    // Oracle: Optim/Fixtures/make_optim_fixtures.py, PyTorch 1.13 torch.optim.lr_scheduler with SGD(lr=0.1); the list holds
    // the learning rate at construction and after each scheduler.step().
    [TestCase("step")]
    [TestCase("multistep")]
    [TestCase("cosine")]
    [TestCase("linear_warmup")]
    [TestCase("exponential")]
    [TestCase("sequential")]
    public void Step_EveryStep_MatchesPyTorchSchedule(string name)
    {
        var expected = OptimFixture.Doubles(OptimFixture.Root.GetProperty("schedules").GetProperty(name));
        using var p = new Parameter(Tensor.Zeros(1));
        using var optimizer = new Sgd([p], new SgdOptions { LearningRate = 0.1 });
        LearningRateScheduler scheduler = name switch
        {
            "step" => new StepLR(optimizer, stepSize: 3, gamma: 0.5),
            "multistep" => new MultiStepLR(optimizer, [2, 5, 6], gamma: 0.1),
            "cosine" => new CosineAnnealingLR(optimizer, totalSteps: 8, minLearningRate: 0.001),
            "linear_warmup" => new LinearLR(optimizer, startFactor: 0.25, endFactor: 1.0, totalSteps: 4),
            "exponential" => new ExponentialLR(optimizer, gamma: 0.9),
            "sequential" => new SequentialLR(optimizer, [new LinearLR(optimizer, 0.5, 1.0, 3), new CosineAnnealingLR(optimizer, 5)], [3]),
            _ => throw new ArgumentException(name),
        };

        var actual = new List<double> { optimizer.Groups[0].LearningRate };
        for (var i = 1; i < expected.Length; i++)
        {
            scheduler.Step();
            actual.Add(optimizer.Groups[0].LearningRate);
        }

        Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void LoadStepCount_MidSchedule_SetsSameRateAsSteppingThere()
    {
        using var p = new Parameter(Tensor.Zeros(1));
        using var a = new Sgd([p], new SgdOptions { LearningRate = 0.2 });
        var stepped = new CosineAnnealingLR(a, 10);
        for (var i = 0; i < 7; i++)
        {
            stepped.Step();
        }

        using var q = new Parameter(Tensor.Zeros(1));
        using var b = new Sgd([q], new SgdOptions { LearningRate = 0.2 });
        var resumed = new CosineAnnealingLR(b, 10);
        resumed.LoadStepCount(7);
        Assert.That(b.Groups[0].LearningRate, Is.EqualTo(a.Groups[0].LearningRate));
    }

    [Test]
    public void ChainedScheduler_TwoSchedules_MultipliesFactors()
    {
        using var p = new Parameter(Tensor.Zeros(1));
        using var optimizer = new Sgd([p], new SgdOptions { LearningRate = 1.0 });
        var warmup = new LinearLR(optimizer, 0.5, 1.0, 2);
        var decay = new ExponentialLR(optimizer, 0.5);
        var chained = new ChainedScheduler(optimizer, [warmup, decay]);
        chained.Step();
        // step 1: warm-up factor 0.75, exponential factor 0.5
        Assert.That(optimizer.Groups[0].LearningRate, Is.EqualTo(0.375).Within(1e-12));
    }

    [Test]
    public void MultiStepLR_UnsortedMilestones_Throws()
    {
        using var p = new Parameter(Tensor.Zeros(1));
        using var optimizer = new Sgd([p]);
        Assert.Throws<ArgumentException>(() => _ = new MultiStepLR(optimizer, [5, 2]));
    }
}
