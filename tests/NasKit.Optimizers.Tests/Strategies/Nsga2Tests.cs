using NasKit.Objectives;
using NasKit.Optimizers.Internal;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Strategies;

public sealed partial class Nsga2Tests
{
    private static readonly Objective[] s_accuracyMacs = [Objective.Maximize("accuracy"), Objective.Minimize("macs")];

    private static (List<FrozenTrial> History, Dictionary<string, int> Numbers) History(params (string Name, double Accuracy, double Macs)[] points)
    {
        var cells = SyntheticNb201.DistinctCells(points.Length, seed: 11);
        var history = new List<FrozenTrial>();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < points.Length; i++)
        {
            history.Add(SyntheticNb201.Trial(i, cells[i], new() { ["accuracy"] = points[i].Accuracy, ["macs"] = points[i].Macs }));
            numbers[points[i].Name] = i;
        }

        return (history, numbers);
    }

    private static Dictionary<int, RankAndCrowding.Survivor> Population(Nsga2 nsga2, List<FrozenTrial> history, IReadOnlyList<Constraint>? constraints = null)
    {
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(0), fitness: null, s_accuracyMacs, constraints);
        return nsga2.SelectPopulation(context, history).ToDictionary(s => history[s.Index].Number);
    }

    [Test]
    public void SelectPopulation_DominatedTrials_RankBelowEveryTrialThatDominatesThem()
    {
        // Accuracy is maximised, MACs minimised: D is dominated by A only, E by everyone.
        var (history, id) = History(("A", 0.9, 10), ("B", 0.8, 5), ("C", 0.7, 1), ("D", 0.8, 10), ("E", 0.6, 20));
        var population = Population(new Nsga2(populationSize: 5), history);
        Assert.Multiple(() =>
        {
            Assert.That(population[id["A"]].Rank, Is.EqualTo(0));
            Assert.That(population[id["B"]].Rank, Is.EqualTo(0));
            Assert.That(population[id["C"]].Rank, Is.EqualTo(0));
            Assert.That(population[id["D"]].Rank, Is.EqualTo(1));
            Assert.That(population[id["E"]].Rank, Is.EqualTo(2));
        });
    }

    [Test]
    public void SelectPopulation_ObjectiveDirections_AreRespected()
    {
        // With accuracy maximised, (0.9, 10) dominates (0.5, 10); were the direction ignored (both minimised) it would be the reverse.
        var (history, id) = History(("high", 0.9, 10), ("low", 0.5, 10));
        var population = Population(new Nsga2(populationSize: 2), history);
        Assert.Multiple(() =>
        {
            Assert.That(population[id["high"]].Rank, Is.EqualTo(0));
            Assert.That(population[id["low"]].Rank, Is.EqualTo(1));
        });
    }

    [Test]
    public void SelectPopulation_MoreCompletedThanPopulation_KeepsTheFirstFront()
    {
        var (history, id) = History(("A", 0.9, 10), ("D", 0.8, 10), ("B", 0.8, 5), ("E", 0.6, 20), ("C", 0.7, 1));
        var population = Population(new Nsga2(populationSize: 3), history);
        Assert.That(population.Keys.Order(), Is.EqualTo(new[] { id["A"], id["B"], id["C"] }.Order()));
    }

    [Test]
    public void SelectPopulation_LastFrontCut_KeepsExtremesAndLeastCrowded()
    {
        // One front of four points (accuracy max, macs min): P0 (0.10, 1), P1 (0.50, 5), P2 (0.52, 5.2), P3 (0.90, 10). Hand-computed
        // crowding (ALGORITHMS.md §14.4): P1 = (0.52 − 0.10)/0.8 + (5.2 − 1)/9 = 0.9917; P2 = (0.90 − 0.50)/0.8 + (10 − 5)/9 = 1.0556;
        // the extremes P0 and P3 are infinite. Cutting to three keeps P0, P3 and the less crowded P2.
        var (history, id) = History(("P0", 0.10, 1), ("P1", 0.50, 5), ("P2", 0.52, 5.2), ("P3", 0.90, 10));
        var all = Population(new Nsga2(populationSize: 4), history);
        var cut = Population(new Nsga2(populationSize: 3), history);
        Assert.Multiple(() =>
        {
            Assert.That(all[id["P0"]].Crowding, Is.EqualTo(double.PositiveInfinity));
            Assert.That(all[id["P3"]].Crowding, Is.EqualTo(double.PositiveInfinity));
            Assert.That(all[id["P1"]].Crowding, Is.EqualTo(((0.52 - 0.10) / 0.8) + ((5.2 - 1) / 9)).Within(1e-12));
            Assert.That(all[id["P2"]].Crowding, Is.EqualTo(((0.90 - 0.50) / 0.8) + ((10 - 5.0) / 9)).Within(1e-12));
            Assert.That(cut.Keys.Order(), Is.EqualTo(new[] { id["P0"], id["P2"], id["P3"] }));
        });
    }

    [Test]
    public void CrowdedCompare_SameRank_PrefersLargerCrowding_LowerRankWinsRegardless()
    {
        var extreme = new RankAndCrowding.Survivor(0, Rank: 0, Crowding: double.PositiveInfinity);
        var interior = new RankAndCrowding.Survivor(1, Rank: 0, Crowding: 0.3);
        var dominated = new RankAndCrowding.Survivor(2, Rank: 1, Crowding: double.PositiveInfinity);
        Assert.Multiple(() =>
        {
            Assert.That(RankAndCrowding.CrowdedCompare(extreme, interior), Is.EqualTo(1));
            Assert.That(RankAndCrowding.CrowdedCompare(interior, extreme), Is.EqualTo(-1));
            Assert.That(RankAndCrowding.CrowdedCompare(interior, dominated), Is.EqualTo(1));
            Assert.That(RankAndCrowding.CrowdedCompare(dominated, interior), Is.EqualTo(-1));
            Assert.That(RankAndCrowding.CrowdedCompare(extreme, extreme with { Index = 5 }), Is.EqualTo(0));
        });
    }

    [Test]
    public void SelectPopulation_WithConstraint_FeasibleBeforeInfeasibleAndInfeasibleByViolation()
    {
        // macs <= 5: X violates by 3, Z by 1, Y is feasible. Unconstrained, all three are mutually non-dominated.
        var (history, id) = History(("X", 0.95, 8), ("Y", 0.50, 4), ("Z", 0.90, 6));
        var constrained = Population(new Nsga2(populationSize: 3), history, [Constraint.AtMost("macs", 5)]);
        var free = Population(new Nsga2(populationSize: 3), history);
        Assert.Multiple(() =>
        {
            Assert.That(constrained[id["Y"]].Rank, Is.EqualTo(0));
            Assert.That(constrained[id["Z"]].Rank, Is.EqualTo(1));
            Assert.That(constrained[id["X"]].Rank, Is.EqualTo(2));
            Assert.That(free.Values.Select(s => s.Rank), Is.All.EqualTo(0));
        });
    }

    [Test]
    public void Propose_FewerTrialsThanPopulation_IsAUniformSample()
    {
        var (history, _) = History(("A", 0.9, 10), ("B", 0.8, 5), ("C", 0.7, 1));
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(9), null, s_accuracyMacs);
        var proposal = new Nsga2(populationSize: 4).Propose(context);
        Assert.That(proposal, Is.EqualTo(SyntheticNb201.Space.Sample(new Generator(9))));
    }

    [Test]
    public void Propose_MutationOnly_ProposesAnUnseenNeighbourOfAPopulationMember()
    {
        var (history, _) = History(("A", 0.9, 10), ("B", 0.8, 5), ("C", 0.7, 1), ("D", 0.8, 10));
        var nsga2 = new Nsga2(populationSize: 4, crossoverProbability: 0, mutationProbability: 1);
        var members = history.Select(t => SyntheticNb201.Space.Parse(t.Architecture)).ToList();
        for (var seed = 0; seed < 20; seed++)
        {
            var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(seed), null, s_accuracyMacs);
            var proposal = nsga2.Propose(context);
            Assert.That(context.HasSeen(proposal), Is.False, $"seed {seed}");
            Assert.That(members.Any(m => SyntheticNb201.Space.Neighbors(m).Contains(proposal)), Is.True, $"seed {seed}: {proposal}");
        }
    }

    [Test]
    public void Propose_NoObjectivesNoFitness_ThrowsNamingTheStrategy()
    {
        var (history, _) = History(("A", 0.9, 10), ("B", 0.8, 5));
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(0), fitness: null);
        Assert.That(() => new Nsga2(populationSize: 2).Propose(context), Throws.InvalidOperationException.With.Message.Contains("nsga2"));
    }

    [TestCase(1, 0.9, 0.9)]
    [TestCase(10, 1.5, 0.9)]
    [TestCase(10, 0.9, -0.1)]
    [TestCase(10, double.NaN, 0.9)]
    public void Ctor_InvalidArguments_Throw(int population, double crossover, double mutation) =>
        Assert.That(() => new Nsga2(population, crossover, mutation), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    [Category("Slow")]
    public async Task OptimizeAsync_TwoObjectives_LargerHypervolumeThanRandomSearchOnAverage()
    {
        // accuracy = #conv3x3 + 0.3·#conv1x1 (max), macs = 9·#conv3x3 + #conv1x1 (min): a real trade-off whose front has 28 points.
        // Mean hypervolume (reference accuracy −0.1, macs 60) after 80 trials over 4 seeds, NSGA-II against random search.
        static Dictionary<string, double> Metrics(Architecture a)
        {
            var ops = ((SearchSpace.Nb201.Nb201Cell)a).Operations;
            var n3 = ops.Count(o => o == SearchSpace.Nb201.Nb201Operation.NorConv3x3);
            var n1 = ops.Count(o => o == SearchSpace.Nb201.Nb201Operation.NorConv1x1);
            return new() { ["accuracy"] = n3 + (0.3 * n1), ["macs"] = (9 * n3) + n1 };
        }

        async Task<double> Hv(ISearchStrategy strategy, long seed)
        {
            var study = new Study("mo", SyntheticNb201.Space, strategy, s_accuracyMacs, options: new StudyOptions { Seed = seed });
            await study.OptimizeAsync((t, _) => ValueTask.FromResult<IReadOnlyDictionary<string, double>>(Metrics(t.Architecture)), 80);
            var points = study.Trials.Select(t => new[] { t.GetMetric("accuracy"), t.GetMetric("macs") }).ToList();
            return Objectives.Pareto.Hypervolume.Compute(points, [-0.1, 60], [ObjectiveDirection.Maximize, ObjectiveDirection.Minimize]);
        }

        double nsga2 = 0, random = 0;
        for (var seed = 0; seed < 4; seed++)
        {
            nsga2 += await Hv(new Nsga2(populationSize: 20), seed) / 4;
            random += await Hv(new RandomSearch(), seed) / 4;
        }

        TestContext.Out.WriteLine($"mean hypervolume after 80 trials: nsga2 {nsga2:F3}, random {random:F3}");
        Assert.That(nsga2, Is.GreaterThan(random), $"NSGA-II mean hypervolume {nsga2:F3}, random {random:F3}");
    }
}
