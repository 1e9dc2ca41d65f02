using NasKit.Objectives;
using NasKit.Objectives.Evaluation;
using NasKit.Optimizers.Pruners;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Optimizers.Tests.Pruners;

// Expected decisions are worked by hand from Optuna's SuccessiveHalvingPruner rule (optuna/pruners/_successive_halving.py):
// rung k at step r·η^(s+k); promotable when the value is at least as good as the sorted competitors' entry at max(0, n // η − 1).
public sealed class SuccessiveHalvingPrunerTests
{
    private static readonly Objective[] s_maximize = [Objective.Maximize("acc")];

    private static FrozenTrial Trial(int number, TrialState state, params (int Step, double Value)[] values) => new()
    {
        Number = number,
        State = state,
        Architecture = $"a{number}",
        CanonicalHash = $"h{number}",
        Intermediate = [.. values.Select(v => new IntermediateValue(v.Step, new Dictionary<string, double> { ["acc"] = v.Value }))],
    };

    /// <summary>Five trials reached rung 0 (step 1) with 0.9, 0.8, 0.7, 0.6, 0.5, in mixed states.</summary>
    private static List<FrozenTrial> FiveAtRungZero() =>
    [
        Trial(0, TrialState.Complete, (0, 0.2), (1, 0.9), (2, 0.95)),
        Trial(1, TrialState.Pruned, (0, 0.2), (1, 0.8)),
        Trial(2, TrialState.Complete, (0, 0.2), (1, 0.7)),
        Trial(3, TrialState.Running, (0, 0.2), (1, 0.6)),
        Trial(4, TrialState.Complete, (1, 0.5)),
    ];

    [TestCase(0.85, false)]
    [TestCase(0.8, false)]
    [TestCase(0.75, true)]
    public void ShouldPrune_SixAtFirstRung_KeepsTopThird(double value, bool expected)
    {
        // n = 6 (five others and this one) → index max(0, 6 / 3 − 1) = 1: the trial must be at least the second best.
        // 0.85 is second; 0.8 ties the second (0.9, 0.8, 0.8); 0.75 is third behind 0.9 and 0.8.
        var history = FiveAtRungZero();
        var running = Trial(5, TrialState.Running, (0, 0.1), (1, value));
        history.Add(running);
        Assert.That(new SuccessiveHalvingPruner().ShouldPrune(running, history, s_maximize), Is.EqualTo(expected));
    }

    [Test]
    public void ShouldPrune_FewerThanEtaAtRung_OnlyTheBestGoesOn()
    {
        // n = 2 → index max(0, 2 / 3 − 1) = 0: only the best is promoted (a median pruner would need a median; this is stricter).
        var other = Trial(0, TrialState.Complete, (1, 0.9));
        var worse = Trial(1, TrialState.Running, (1, 0.5));
        var better = Trial(1, TrialState.Running, (1, 0.95));
        var pruner = new SuccessiveHalvingPruner();
        Assert.Multiple(() =>
        {
            Assert.That(pruner.ShouldPrune(worse, [other, worse], s_maximize), Is.True);
            Assert.That(pruner.ShouldPrune(better, [other, better], s_maximize), Is.False);
        });
    }

    [Test]
    public void ShouldPrune_FirstTrialAtRung_Promoted()
    {
        var running = Trial(0, TrialState.Running, (0, 0.0), (1, 0.0));
        Assert.That(new SuccessiveHalvingPruner().ShouldPrune(running, [running], s_maximize), Is.False);
    }

    [Test]
    public void ShouldPrune_BeforeFirstRung_NeverPrunes()
    {
        // Step 0 is before rung 0 (step 1); the value is the worst of all yet nothing is decided.
        var history = FiveAtRungZero();
        var running = Trial(5, TrialState.Running, (0, 0.0));
        history.Add(running);
        Assert.That(new SuccessiveHalvingPruner().ShouldPrune(running, history, s_maximize), Is.False);
    }

    [Test]
    public void ShouldPrune_BetweenRungs_EarlierRungNotJudgedAgain()
    {
        // Reported step 1 when it was alone there (promoted); step 2 reaches no new rung, so the five better trials that reached
        // step 1 since do not prune it.
        var history = FiveAtRungZero();
        var running = Trial(5, TrialState.Running, (1, 0.1), (2, 0.1));
        history.Add(running);
        Assert.That(new SuccessiveHalvingPruner().ShouldPrune(running, history, s_maximize), Is.False);
    }

    [Test]
    public void ShouldPrune_SecondRung_ComparesValuesAtFirstReportFromStepThree()
    {
        // Rung 1 is at step 3. Trial 0's value there is its report at step 3 (0.6), trial 1's its first report after step 3 (0.9 at
        // step 4); trial 2 never got there. n = 3 → index 0: the trial must be the best. 0.7 < 0.9 → pruned; 0.95 → promoted.
        List<FrozenTrial> history =
        [
            Trial(0, TrialState.Complete, (1, 0.5), (3, 0.6), (4, 0.99)),
            Trial(1, TrialState.Complete, (1, 0.5), (4, 0.9), (5, 0.1)),
            Trial(2, TrialState.Pruned, (1, 0.99)),
        ];
        var worse = Trial(3, TrialState.Running, (1, 0.99), (3, 0.7));
        var better = Trial(3, TrialState.Running, (1, 0.99), (3, 0.95));
        var pruner = new SuccessiveHalvingPruner();
        Assert.Multiple(() =>
        {
            Assert.That(pruner.ShouldPrune(worse, [.. history, worse], s_maximize), Is.True);
            Assert.That(pruner.ShouldPrune(better, [.. history, better], s_maximize), Is.False);
        });
    }

    [Test]
    public void ShouldPrune_ReportJumpsOverTwoRungs_JudgedAtBoth()
    {
        // One report at step 4 reaches rung 0 (step 1) and rung 1 (step 3). At rung 0 the others are 0.5, 0.4 (n = 3, must be best:
        // 0.6 is; trial 2's value there is its step-1 report 0.3); at rung 1 trial 2 reported 0.8 at step 3 (n = 2, must be best: 0.6
        // is not) → pruned at rung 1.
        List<FrozenTrial> history =
        [
            Trial(0, TrialState.Complete, (1, 0.5)),
            Trial(1, TrialState.Complete, (1, 0.4)),
            Trial(2, TrialState.Complete, (1, 0.3), (3, 0.8)),
        ];
        var running = Trial(3, TrialState.Running, (0, 0.1), (4, 0.6));
        var atRungZeroOnly = new SuccessiveHalvingPruner(minResource: 1).ShouldPrune(running, [.. history.Take(2), running], s_maximize);
        var atBoth = new SuccessiveHalvingPruner(minResource: 1).ShouldPrune(running, [.. history, running], s_maximize);
        Assert.Multiple(() =>
        {
            Assert.That(atRungZeroOnly, Is.False, "0.6 is the best at rung 0 and nobody else reached rung 1");
            Assert.That(atBoth, Is.True, "0.6 is worse than 0.8 at rung 1");
        });
    }

    [Test]
    public void ShouldPrune_Minimize_KeepsSmallest()
    {
        // Losses at step 1: 1.0, 2.0, 3.0 and this trial; n = 4 → index 0: must be the smallest.
        Objective[] loss = [Objective.Minimize("acc")];
        List<FrozenTrial> history = [Trial(0, TrialState.Complete, (1, 2.0)), Trial(1, TrialState.Complete, (1, 1.0)), Trial(2, TrialState.Complete, (1, 3.0))];
        var small = Trial(3, TrialState.Running, (1, 0.5));
        var middle = Trial(3, TrialState.Running, (1, 1.5));
        var pruner = new SuccessiveHalvingPruner();
        Assert.Multiple(() =>
        {
            Assert.That(pruner.ShouldPrune(small, [.. history, small], loss), Is.False);
            Assert.That(pruner.ShouldPrune(middle, [.. history, middle], loss), Is.True);
        });
    }

    [Test]
    public void ShouldPrune_NaNAtRung_Pruned()
    {
        var running = Trial(0, TrialState.Running, (1, double.NaN));
        Assert.That(new SuccessiveHalvingPruner().ShouldPrune(running, [running], s_maximize), Is.True);
    }

    [Test]
    public void RungStep_MinResourceAndEarlyStoppingRate_GeometricSteps()
    {
        var pruner = new SuccessiveHalvingPruner(minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1);
        Assert.Multiple(() =>
        {
            // 2·3^(1+k): 6, 18, 54.
            Assert.That(pruner.RungStep(0), Is.EqualTo(6));
            Assert.That(pruner.RungStep(1), Is.EqualTo(18));
            Assert.That(pruner.RungStep(2), Is.EqualTo(54));
            Assert.That(pruner.RungStep(100), Is.EqualTo(long.MaxValue));
        });
    }

    [Test]
    public void ShouldPrune_EarlyStoppingRate_FirstRungLater()
    {
        // With s = 1 the first rung is at step 3: a bad value at step 1 is not judged; the same value at step 3 is.
        var other = Trial(0, TrialState.Complete, (1, 0.9), (3, 0.9));
        var atOne = Trial(1, TrialState.Running, (1, 0.1));
        var atThree = Trial(1, TrialState.Running, (1, 0.1), (3, 0.1));
        var pruner = new SuccessiveHalvingPruner(minEarlyStoppingRate: 1);
        Assert.Multiple(() =>
        {
            Assert.That(pruner.ShouldPrune(atOne, [other, atOne], s_maximize), Is.False);
            Assert.That(pruner.ShouldPrune(atThree, [other, atThree], s_maximize), Is.True);
        });
    }

    [Test]
    public void Constructor_OutOfRange_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new SuccessiveHalvingPruner(minResource: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("minResource"));
            Assert.That(() => new SuccessiveHalvingPruner(reductionFactor: 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("reductionFactor"));
            Assert.That(() => new SuccessiveHalvingPruner(minEarlyStoppingRate: -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("minEarlyStoppingRate"));
        });
    }

    [Test]
    public async Task ShouldPrune_InStudy_PrunesAtRungsAsWorkedByHand()
    {
        // Each trial reports the same value at steps 0..3 and asks after every report. Worked by hand (rungs at steps 1 and 3):
        // t0 0.5 and t1 0.6 are best at both rungs; t2 0.4 is not the best of 3 at step 1; t3 0.7 is best at both; t4 0.3 is not
        // the best of 5; t5 0.55 is third of 6 (index 1 needs ≥ 0.6); t6 0.65 is second of 7 at step 1 (index 1: promoted) but not the
        // best of 4 at step 3 (0.7) → pruned there.
        double[] values = [0.5, 0.6, 0.4, 0.7, 0.3, 0.55, 0.65];
        var study = new Study("sh", new Nb201SearchSpace(), new RandomSearch(), s_maximize, pruner: new SuccessiveHalvingPruner());
        await study.OptimizeAsync((t, ct) =>
        {
            for (var step = 0; step < 4; step++)
            {
                t.Report(step, values[t.Number]);
                if (t.ShouldPrune)
                {
                    throw new TrialPrunedException();
                }
            }

            return ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["acc"] = values[t.Number] });
        }, trials: values.Length);
        var trials = study.Trials;
        Assert.Multiple(() =>
        {
            Assert.That(trials.Select(t => t.State), Is.EqualTo(new[]
            {
                TrialState.Complete, TrialState.Complete, TrialState.Pruned, TrialState.Complete, TrialState.Pruned, TrialState.Pruned, TrialState.Pruned,
            }));
            Assert.That(trials.Select(t => t.Intermediate.Max(v => v.Step)), Is.EqualTo(new[] { 3, 3, 1, 3, 1, 1, 3 }));
        });
    }
}
