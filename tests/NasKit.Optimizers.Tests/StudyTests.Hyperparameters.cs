using NasKit.Objectives;
using NasKit.Optimizers.Samplers;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace.Custom;
using NasKit.Tensors.NN;

namespace NasKit.Optimizers.Tests;

/// <summary>Hyper-parameter searches on a study and its hypervolume history.</summary>
public sealed partial class StudyTests
{
    [Test]
    public void GetHypervolumeHistory_TwoObjectivesWithConstraint_HandComputedSteps()
    {
        var study = new Study("hv", FixedSpace.Instance, new RandomSearch(), [Objective.Maximize("accuracy"), Objective.Minimize("macs")],
            constraints: [Constraint.AtMost("macs", 8)], options: FixedSpace.Options(1));
        double[][] told = [[0.5, 4], [0.8, 6], [0.9, 9], [0.6, 2], [0.4, 5]];
        foreach (var m in told)
        {
            study.Tell(study.Ask(), new Dictionary<string, double> { ["accuracy"] = m[0], ["macs"] = m[1] });
        }

        study.Tell(study.Ask(), TrialState.Pruned);
        var history = study.GetHypervolumeHistory([0, 10]);

        // Reference (accuracy 0, macs 10); a point (a, m) dominates the box [0, a]×[m, 10]. By hand: (0.5, 4) → 0.5·6 = 3; (0.8, 6) adds
        // 0.3·4 = 1.2 → 4.2; (0.9, 9) is infeasible (macs > 8) → 4.2; with (0.6, 2) the union is 0.6·2 (macs 2..4) + 0.6·2 (4..6) +
        // 0.8·4 (6..10) = 5.6; (0.4, 5) is dominated → 5.6. The pruned trial has no entry.
        Assert.Multiple(() =>
        {
            Assert.That(history.Select(h => h.TrialNumber), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
            Assert.That(history.Select(h => h.Hypervolume), Is.EqualTo(new[] { 3, 4.2, 4.2, 5.6, 5.6 }).Within(1e-12));
        });
    }

    [Test]
    public void GetHypervolumeHistory_WrongReferenceLength_Throws()
    {
        var study = new Study("hv", FixedSpace.Instance, new RandomSearch(), [Objective.Maximize("accuracy"), Objective.Minimize("macs")], options: FixedSpace.Options(1));
        study.Tell(study.Ask(), new Dictionary<string, double> { ["accuracy"] = 0.5, ["macs"] = 1 });
        Assert.Throws<ArgumentException>(() => study.GetHypervolumeHistory([0]));
    }

    [Test]
    public async Task OptimizeAsync_TpeSamplerOnQuadratic_MedianBestBeatsRandomOverTenSeeds()
    {
        // Minimise (x − 2)² + (log y)², x in [−10, 10], y in [1e-3, 1e3] (log), 60 trials per run, seeds 0..9.
        async Task<double> Best(IParameterSampler sampler, long seed)
        {
            var options = FixedSpace.Options(seed);
            options.Sampler = sampler;
            var study = new Study("quadratic", FixedSpace.Instance, new RandomSearch(), [Objective.Minimize("loss")], options: options);
            var result = await study.OptimizeAsync((trial, _) =>
            {
                var x = trial.SuggestFloat("x", -10, 10);
                var y = trial.SuggestFloat("y", 1e-3, 1e3, log: true);
                var loss = ((x - 2) * (x - 2)) + (Math.Log(y) * Math.Log(y));
                return ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["loss"] = loss });
            }, trials: 60);
            return result.BestTrial!.GetMetric("loss");
        }

        var tpe = new List<double>();
        var random = new List<double>();
        for (var seed = 0; seed < 10; seed++)
        {
            tpe.Add(await Best(new TpeParameterSampler(), seed));
            random.Add(await Best(new RandomParameterSampler(), seed));
        }

        static double Median(List<double> v) => v.Order().Skip(4).Take(2).Average();
        TestContext.Out.WriteLine($"median best: tpe {Median(tpe):G4}, random {Median(random):G4}");
        Assert.That(Median(tpe), Is.LessThan(0.5 * Median(random)), $"tpe [{string.Join(", ", tpe)}], random [{string.Join(", ", random)}]");
    }

    [Test]
    public async Task OptimizeAsync_DocsExample_FindsGoodHyperParameters()
    {
        // The example of docs/studies.md, verbatim apart from the assertions.
        var space = new CustomSearchSpace("fixed", [1], ctx =>
        {
            ctx.Choose(Choice.Categorical("model", "mlp"));
            return new Identity();
        });
        var study = new Study("quadratic", space, new RandomSearch(), [Objective.Minimize("loss")],
            options: new StudyOptions { Seed = 42, AllowDuplicates = true });
        var result = await study.OptimizeAsync((trial, _) =>
        {
            var x = trial.SuggestFloat("x", -10, 10);
            var y = trial.SuggestFloat("y", 1e-3, 1e3, log: true);
            var optimizer = trial.SuggestCategorical("optimizer", ["sgd", "adam"]);
            var loss = ((x - 2) * (x - 2)) + (Math.Log(y) * Math.Log(y)) + (optimizer == "adam" ? 0 : 1);
            return ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["loss"] = loss });
        }, trials: 40);

        var best = result.BestTrial!;
        Assert.Multiple(() =>
        {
            Assert.That(study.Trials, Has.Count.EqualTo(40));
            Assert.That(best.GetParameter<double>("x"), Is.InRange(-10.0, 10.0));
            Assert.That(best.GetParameter<string>("optimizer"), Is.EqualTo("adam"));
            Assert.That(best.Number, Is.GreaterThanOrEqualTo(10), "TPE improves on its 10 random startup trials");
        });
    }
}
