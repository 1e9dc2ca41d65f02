using NasKit.Objectives;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Strategies;

public sealed partial class BananasTests
{
    private static List<FrozenTrial> ScoredHistory(int count, long seed) =>
        [.. SyntheticNb201.DistinctCells(count, seed).Select((c, i) => SyntheticNb201.Trial(i, c, new() { ["score"] = SyntheticNb201.Score(c) }))];

    [Test]
    public void Propose_FewerCompletedThanInitialSamples_IsAUniformSample()
    {
        var history = ScoredHistory(9, seed: 1);
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(3), t => t.Metrics["score"]);
        Assert.That(new Bananas().Propose(context), Is.EqualTo(SyntheticNb201.Space.Sample(new Generator(3))));
    }

    [Test]
    public void ChooseEncoding_Nb201_UsesPathEncoding() =>
        Assert.That(Bananas.ChooseEncoding(SyntheticNb201.Space), Is.EqualTo(ArchitectureEncoding.Path));

    [Test]
    public void Propose_TwoObjectives_ThrowsNamingTheObjectiveCount()
    {
        var history = ScoredHistory(12, seed: 2).Select(t => t with { Metrics = new Dictionary<string, double> { ["a"] = 1, ["b"] = 2 } }).ToList();
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(0), null, [Objective.Maximize("a"), Objective.Minimize("b")]);
        Assert.That(() => new Bananas().Propose(context), Throws.InvalidOperationException.With.Message.Contains("2"));
    }

    [Test]
    public void Propose_UpperConfidenceBound_IsAnUnseenMutationOfATopArchitecture()
    {
        var history = ScoredHistory(20, seed: 3);
        var context = new StrategyContext(SyntheticNb201.Space, history, new Generator(8), t => t.Metrics["score"]);
        var proposal = new Bananas(parentCount: 3, acquisition: BananasAcquisition.UpperConfidenceBound).Propose(context);
        var top = history.OrderByDescending(t => t.Metrics["score"]).Take(3).Select(t => SyntheticNb201.Space.Parse(t.Architecture)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(context.HasSeen(proposal), Is.False);
            // Candidates are one mutation of a parent, or up to three more when that one is already known.
            Assert.That(top.Min(a => Distance(a, proposal)), Is.InRange(1, 4));
        });
    }

    [TestCase(1, 5, 100, 10, 0.5, 2, 20, 30, 100, 0.01)]
    [TestCase(10, 0, 100, 10, 0.5, 2, 20, 30, 100, 0.01)]
    [TestCase(10, 5, 0, 10, 0.5, 2, 20, 30, 100, 0.01)]
    [TestCase(10, 5, 100, 0, 0.5, 2, 20, 30, 100, 0.01)]
    [TestCase(10, 5, 100, 10, -1.0, 2, 20, 30, 100, 0.01)]
    [TestCase(10, 5, 100, 10, 0.5, 0, 20, 30, 100, 0.01)]
    [TestCase(10, 5, 100, 10, 0.5, 2, 0, 30, 100, 0.01)]
    [TestCase(10, 5, 100, 10, 0.5, 2, 20, 0, 100, 0.01)]
    [TestCase(10, 5, 100, 10, 0.5, 2, 20, 30, 0, 0.01)]
    [TestCase(10, 5, 100, 10, 0.5, 2, 20, 30, 100, 0.0)]
    public void Ctor_InvalidArguments_Throw(int initial, int ensemble, int candidates, int parents, double kappa, int layers, int width, int epochs, int steps, double lr) =>
        Assert.That(
            () => new Bananas(initial, ensemble, candidates, parents, BananasAcquisition.ThompsonSampling, kappa, layers, width, epochs, steps, lr),
            Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    [Category("Slow")]
    public async Task OptimizeAsync_SyntheticNb201_BeatsRandomSearchOnAverage()
    {
        // Mean best score after 40 trials over 5 seeds (score = #conv3x3 edges + hash noise in [0, 0.5)); a real comparison, same budget.
        double bananas = 0, random = 0;
        for (var seed = 0; seed < 5; seed++)
        {
            bananas += await SyntheticNb201.BestAfter(new Bananas(), 40, seed) / 5;
            random += await SyntheticNb201.BestAfter(new RandomSearch(), 40, seed) / 5;
        }

        TestContext.Out.WriteLine($"mean best after 40 trials: bananas {bananas:F3}, random {random:F3}");
        Assert.That(bananas, Is.GreaterThan(random), $"BANANAS {bananas:F3}, random {random:F3}");
    }

    private static int Distance(Architecture a, Architecture b)
    {
        var (x, y) = (SyntheticNb201.Space.Encode(a, ArchitectureEncoding.Integer), SyntheticNb201.Space.Encode(b, ArchitectureEncoding.Integer));
        return x.Zip(y).Count(p => p.First != p.Second);
    }
}
