using NasKit.Objectives;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers.Pruners;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Optimizers.Tests.Pruners;

// Expected decisions are worked by hand from the rule in ParetoPruner's remarks (dominance checked pair by pair in the comments).
public sealed class ParetoPrunerTests
{
    private static readonly Objective[] s_objectives = [Objective.Maximize("acc"), Objective.Minimize("macs")];

    private static FrozenTrial Trial(int number, TrialState state, params IntermediateValue[] values) => new()
    {
        Number = number,
        State = state,
        Architecture = $"a{number}",
        CanonicalHash = $"h{number}",
        Intermediate = values,
    };

    private static IntermediateValue At(int step, double acc, double? macs = null)
    {
        var values = new Dictionary<string, double> { ["acc"] = acc };
        if (macs is { } m)
        {
            values["macs"] = m;
        }

        return new IntermediateValue(step, values);
    }

    /// <summary>Five complete trials with (acc, macs) at step 2: A(0.9, 10), B(0.8, 20), C(0.7, 5), D(0.6, 30), E(0.5, 40).</summary>
    private static List<FrozenTrial> FivePeers() =>
    [
        Trial(0, TrialState.Complete, At(1, 0.1, 10), At(2, 0.9, 10)),
        Trial(1, TrialState.Complete, At(1, 0.1, 20), At(2, 0.8, 20)),
        Trial(2, TrialState.Complete, At(1, 0.1, 5), At(2, 0.7, 5)),
        Trial(3, TrialState.Complete, At(1, 0.1, 30), At(2, 0.6, 30)),
        Trial(4, TrialState.Complete, At(1, 0.1, 40), At(2, 0.5, 40)),
    ];

    private static bool Decide(ParetoPruner pruner, List<FrozenTrial> peers, FrozenTrial running) => pruner.ShouldPrune(running, [.. peers, running], s_objectives);

    // k = max(2, ⌈0.1 · 5⌉) = 2 with the defaults.
    // (0.65, 25): A (0.9 ≥, 10 ≤), B (0.8, 20) and C (0.7, 5) dominate; D has lower acc → 3 ≥ 2 → pruned.
    // (0.85, 15): only A (0.9, 10) → 1 < 2 → kept.
    // (0.65, 4): nobody has macs ≤ 4 → kept although its accuracy alone would be beaten by three.
    // (0.8, 20): equals B (no dominance); A dominates → 1 → kept.
    // (0.7, 20): A, B (0.8 ≥ 0.7, 20 ≤ 20), C → 3 → pruned.
    // (0.75, 25): A and B dominate, C has lower acc → exactly k = 2 → pruned.
    [TestCase(0.65, 25.0, true)]
    [TestCase(0.85, 15.0, false)]
    [TestCase(0.65, 4.0, false)]
    [TestCase(0.8, 20.0, false)]
    [TestCase(0.7, 20.0, true)]
    [TestCase(0.75, 25.0, true)]
    public void ShouldPrune_TwoObjectivesAgainstFivePeers_PrunesWhenTwoDominate(double acc, double macs, bool expected)
    {
        var running = Trial(5, TrialState.Running, At(0, 0.1, macs), At(2, acc, macs));
        Assert.That(Decide(new ParetoPruner(), FivePeers(), running), Is.EqualTo(expected));
    }

    [TestCase(0.65, true)]
    [TestCase(0.85, false)]
    public void ShouldPrune_OnlyAccuracyReported_MacsIgnored(double acc, bool expected)
    {
        // The trial reports no macs at step 2, so only acc is compared: 0.65 is beaten by A, B, C (3 ≥ 2); 0.85 by A only.
        var running = Trial(5, TrialState.Running, At(2, acc));
        Assert.That(Decide(new ParetoPruner(), FivePeers(), running), Is.EqualTo(expected));
    }

    [Test]
    public void ShouldPrune_FractionRaisesThreshold_NeedsMoreDominators()
    {
        // (0.65, 25) has 3 dominators of 5 peers. fraction 0.6 → k = max(2, ⌈3.0⌉) = 3 → pruned; fraction 0.7 → k = ⌈3.5⌉ = 4 → kept.
        var running = Trial(5, TrialState.Running, At(2, 0.65, 25));
        Assert.Multiple(() =>
        {
            Assert.That(Decide(new ParetoPruner(dominatorFraction: 0.6), FivePeers(), running), Is.True);
            Assert.That(Decide(new ParetoPruner(dominatorFraction: 0.7), FivePeers(), running), Is.False);
            Assert.That(Decide(new ParetoPruner(minDominators: 4), FivePeers(), running), Is.False);
        });
    }

    [Test]
    public void RequiredDominators_Defaults_MaxOfTwoAndTenPercent()
    {
        var pruner = new ParetoPruner();
        Assert.Multiple(() =>
        {
            Assert.That(pruner.RequiredDominators(0), Is.EqualTo(2));
            Assert.That(pruner.RequiredDominators(20), Is.EqualTo(2));
            Assert.That(pruner.RequiredDominators(21), Is.EqualTo(3));
            Assert.That(pruner.RequiredDominators(100), Is.EqualTo(10));
        });
    }

    [Test]
    public void ShouldPrune_PeersAtOtherStepsOrNotComplete_NotCounted()
    {
        // Only A and E are complete with values at step 2; E does not dominate (0.65, 25), so 1 dominator < 2 → kept. The dominating
        // pruned and running trials and the complete trial that stopped reporting at step 1 do not count.
        List<FrozenTrial> peers =
        [
            Trial(0, TrialState.Complete, At(2, 0.9, 10)),
            Trial(1, TrialState.Pruned, At(2, 0.8, 20)),
            Trial(2, TrialState.Running, At(2, 0.7, 5)),
            Trial(3, TrialState.Complete, At(1, 0.99, 1)),
            Trial(4, TrialState.Complete, At(2, 0.5, 40)),
        ];
        var running = Trial(5, TrialState.Running, At(2, 0.65, 25));
        Assert.That(Decide(new ParetoPruner(startupTrials: 3), peers, running), Is.False);
    }

    [Test]
    public void ShouldPrune_UsesLatestStep_NotEarlierOnes()
    {
        // At step 1 every peer has acc 0.1, so (0.05, 50) would be dominated by all five; the latest step is 2 where (0.95, 50) is
        // dominated by none.
        var running = Trial(5, TrialState.Running, At(1, 0.05, 50), At(2, 0.95, 50));
        var atStepOne = Trial(5, TrialState.Running, At(1, 0.05, 50));
        Assert.Multiple(() =>
        {
            Assert.That(Decide(new ParetoPruner(), FivePeers(), running), Is.False);
            Assert.That(Decide(new ParetoPruner(), FivePeers(), atStepOne), Is.True);
        });
    }

    [Test]
    public void ShouldPrune_BeforeStartupOrWarmup_Never()
    {
        var running = Trial(5, TrialState.Running, At(2, 0.1, 100));
        Assert.Multiple(() =>
        {
            Assert.That(Decide(new ParetoPruner(startupTrials: 6), FivePeers(), running), Is.False);
            Assert.That(Decide(new ParetoPruner(warmupSteps: 3), FivePeers(), running), Is.False);
            Assert.That(Decide(new ParetoPruner(startupTrials: 5, warmupSteps: 2), FivePeers(), running), Is.True);
        });
    }

    [Test]
    public void ShouldPrune_NothingReported_Never()
    {
        var running = Trial(5, TrialState.Running, new IntermediateValue(2, new Dictionary<string, double> { ["loss"] = 9.0 }));
        Assert.That(Decide(new ParetoPruner(), FivePeers(), running), Is.False);
    }

    [Test]
    public void ShouldPrune_NaN_Pruned()
    {
        var running = Trial(5, TrialState.Running, At(2, double.NaN, 1));
        Assert.That(Decide(new ParetoPruner(), FivePeers(), running), Is.True);
    }

    [Test]
    public void Constructor_OutOfRange_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new ParetoPruner(startupTrials: -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new ParetoPruner(warmupSteps: -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new ParetoPruner(minDominators: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new ParetoPruner(dominatorFraction: 1.5), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 1]").And.Message.Contains("1.5"));
            Assert.That(() => new ParetoPruner(dominatorFraction: double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public async Task ShouldPrune_InMultiObjectiveStudy_PrunesDominatedTrials()
    {
        // Trials 0-4 report (0.5, 50) at step 0 and complete. From trial 5 on, odd trials report (0.1, 100) — dominated by all five
        // (and by the later complete ones) → pruned; even ones report (0.9, 10), dominated by none → complete.
        var study = new Study("mo", new Nb201SearchSpace(), new RandomSearch(), s_objectives, pruner: new ParetoPruner(startupTrials: 5));
        await study.OptimizeAsync((t, ct) =>
        {
            var (acc, macs) = t.Number < 5 ? (0.5, 50.0) : (t.Number % 2 == 1 ? (0.1, 100.0) : (0.9, 10.0));
            t.Report(0, new Dictionary<string, double> { ["acc"] = acc, ["macs"] = macs });
            if (t.ShouldPrune)
            {
                throw new TrialPrunedException();
            }

            return ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["acc"] = acc, ["macs"] = macs });
        }, trials: 10);
        Assert.That(study.Trials.Select(t => t.State), Is.EqualTo(new[]
        {
            TrialState.Complete, TrialState.Complete, TrialState.Complete, TrialState.Complete, TrialState.Complete,
            TrialState.Pruned, TrialState.Complete, TrialState.Pruned, TrialState.Complete, TrialState.Pruned,
        }));
    }
}
