using NasKit.Objectives;
using NasKit.Optimizers.Internal;
using NasKit.Optimizers.Strategies;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Strategies;

public sealed partial class TpeTests
{
    [Test]
    public void Propose_FewerCompletedThanStartupTrials_IsAUniformSample()
    {
        var cells = SyntheticNb201.DistinctCells(9, seed: 2);
        var history = cells.Select((c, i) => SyntheticNb201.Trial(i, c, new() { ["score"] = SyntheticNb201.Score(c) })).ToList();
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(4), t => t.Metrics["score"]);
        Assert.That(new Tpe().Propose(context), Is.EqualTo(SyntheticNb201.Space.Sample(new Generator(4))));
    }

    [Test]
    public void Split_SingleObjective_GoodSetIsTheBestCeilTenthInNumberOrder()
    {
        // 25 trials, scores 0..24 in shuffled order: γ(25) = ⌈2.5⌉ = 3, so the good set holds the trials scoring 24, 23 and 22.
        var cells = SyntheticNb201.DistinctCells(25, seed: 3);
        var scores = new Generator(5).Permutation(25);
        var history = cells.Select((c, i) => SyntheticNb201.Trial(i, c, new() { ["score"] = scores[i] })).ToList();
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(0), t => t.Metrics["score"]);
        var (good, bad) = Tpe.Split(ObjectiveTable.From(context, history, "tpe"));
        var expected = Enumerable.Range(0, 25).Where(i => scores[i] >= 22).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(good, Is.EqualTo(expected));
            Assert.That(bad, Has.Length.EqualTo(22));
            Assert.That(bad, Is.Ordered);
            Assert.That(bad.Intersect(good), Is.Empty);
        });
    }

    [Test]
    public void Split_TwoObjectives_GoodSetIsTheFirstNonDominatedFronts()
    {
        // 20 trials: γ_MO(20) = 2. Trials 3 and 7 are the only non-dominated ones (accuracy max, macs min).
        var cells = SyntheticNb201.DistinctCells(20, seed: 4);
        var history = cells.Select((c, i) => SyntheticNb201.Trial(i, c, new()
        {
            ["accuracy"] = i switch { 3 => 0.95, 7 => 0.90, _ => 0.5 + (i / 100.0) },
            ["macs"] = i switch { 3 => 50, 7 => 10, _ => 60 - i },
        })).ToList();
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(0), null, [Objective.Maximize("accuracy"), Objective.Minimize("macs")]);
        var (good, _) = Tpe.Split(ObjectiveTable.From(context, history, "tpe"));
        Assert.That(good, Is.EqualTo(new[] { 3, 7 }));
    }

    [Test]
    public void Propose_StrongSignal_ProposesTheCandidateFavouredByTheGoodSet()
    {
        // 30 trials where the score is the number of conv3x3 edges: the proposal should carry more conv3x3 edges than the average
        // completed trial (about 1.2 of 6 for uniform cells), because l/g favours op 3 on every edge.
        var cells = SyntheticNb201.DistinctCells(30, seed: 6);
        var history = cells.Select((c, i) => SyntheticNb201.Trial(i, c, new() { ["score"] = SyntheticNb201.Score(c) })).ToList();
        var conv3 = 0.0;
        for (var seed = 0; seed < 10; seed++)
        {
            var proposal = new Tpe().Propose(new StrategyContext(SyntheticNb201.Space, history, new Generator(seed), t => t.Metrics["score"]));
            conv3 += Math.Floor(SyntheticNb201.Score(proposal)) / 10;
        }

        var average = cells.Average(c => Math.Floor(SyntheticNb201.Score(c)));
        Assert.That(conv3, Is.GreaterThan(average + 1), $"proposals average {conv3:F2} conv3x3 edges, history {average:F2}");
    }

    [Test]
    public async Task OptimizeAsync_TwoObjectivesWithConstraint_ProposesDistinctCellsAndFindsFeasibleFront()
    {
        // accuracy = #conv3x3 (max), macs = 9·#conv3x3 + #conv1x1 (min), macs <= 30: the multi-objective split with constraint-domination.
        static IReadOnlyDictionary<string, double> Metrics(SearchSpace.Architecture a)
        {
            var ops = ((SearchSpace.Nb201.Nb201Cell)a).Operations;
            var n3 = ops.Count(o => o == SearchSpace.Nb201.Nb201Operation.NorConv3x3);
            var n1 = ops.Count(o => o == SearchSpace.Nb201.Nb201Operation.NorConv1x1);
            return new Dictionary<string, double> { ["accuracy"] = n3 + (0.3 * n1), ["macs"] = (9 * n3) + n1 };
        }

        var study = new Study("motpe", SyntheticNb201.Space, new Tpe(), [Objective.Maximize("accuracy"), Objective.Minimize("macs")],
            constraints: [Constraint.AtMost("macs", 30)], options: new StudyOptions { Seed = 2 });
        await study.OptimizeAsync((t, _) => ValueTask.FromResult(Metrics(t.Architecture)), 40);
        Assert.Multiple(() =>
        {
            Assert.That(study.Trials.Select(t => t.CanonicalHash).Distinct().Count(), Is.EqualTo(40));
            Assert.That(study.BestTrials, Is.Not.Empty);
            Assert.That(study.BestTrials.Select(t => t.GetMetric("macs")), Is.All.LessThanOrEqualTo(30));
        });
    }

    [TestCase(0, 24, 1.0)]
    [TestCase(10, 0, 1.0)]
    [TestCase(10, 24, 0.0)]
    [TestCase(10, 24, double.PositiveInfinity)]
    public void Ctor_InvalidArguments_Throw(int startup, int candidates, double priorWeight) =>
        Assert.That(() => new Tpe(startup, candidates, priorWeight), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    [Category("Slow")]
    public async Task OptimizeAsync_SyntheticNb201_BeatsRandomSearchOnAverage()
    {
        // Mean best score after 40 trials over 5 seeds (score = #conv3x3 edges + hash noise in [0, 0.5)); a real comparison, same budget.
        double tpe = 0, random = 0;
        for (var seed = 0; seed < 5; seed++)
        {
            tpe += await SyntheticNb201.BestAfter(new Tpe(), 40, seed) / 5;
            random += await SyntheticNb201.BestAfter(new RandomSearch(), 40, seed) / 5;
        }

        TestContext.Out.WriteLine($"mean best after 40 trials: tpe {tpe:F3}, random {random:F3}");
        Assert.That(tpe, Is.GreaterThan(random), $"TPE {tpe:F3}, random {random:F3}");
    }
}
