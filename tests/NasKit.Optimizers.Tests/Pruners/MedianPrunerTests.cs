using NasKit.Objectives;
using NasKit.Optimizers.Pruners;

namespace NasKit.Optimizers.Tests.Pruners;

public sealed class MedianPrunerTests
{
    private static FrozenTrial Trial(int number, TrialState state, params (int Step, double Value)[] values) => new()
    {
        Number = number,
        State = state,
        Architecture = $"a{number}",
        CanonicalHash = $"h{number}",
        Intermediate = [.. values.Select(v => new IntermediateValue(v.Step, new Dictionary<string, double> { ["acc"] = v.Value }))],
    };

    [TestCase(0.55, false)]
    [TestCase(0.45, true)]
    public void ShouldPrune_MaximizeAgainstMedianOfFour_PrunesBelow(double latest, bool expected)
    {
        // Completed trials at step 1: 0.3, 0.4, 0.6, 0.9 → median (0.4 + 0.6) / 2 = 0.5.
        var history = new List<FrozenTrial>
        {
            Trial(0, TrialState.Complete, (0, 0.1), (1, 0.3)),
            Trial(1, TrialState.Complete, (0, 0.2), (1, 0.4)),
            Trial(2, TrialState.Complete, (0, 0.3), (1, 0.6)),
            Trial(3, TrialState.Complete, (0, 0.4), (1, 0.9)),
        };
        var running = Trial(4, TrialState.Running, (0, 0.0), (1, latest));
        history.Add(running);
        var pruner = new MedianPruner(startupTrials: 4);
        Assert.That(pruner.ShouldPrune(running, history, [Objective.Maximize("acc")]), Is.EqualTo(expected));
    }

    [Test]
    public void ShouldPrune_Minimize_PrunesAbove()
    {
        var history = new List<FrozenTrial> { Trial(0, TrialState.Complete, (0, 1.0)), Trial(1, TrialState.Complete, (0, 3.0)), Trial(2, TrialState.Complete, (0, 2.0)) };
        var running = Trial(3, TrialState.Running, (0, 2.5));
        history.Add(running);
        Assert.That(new MedianPruner(startupTrials: 3).ShouldPrune(running, history, [Objective.Minimize("acc")]), Is.True, "2.5 is worse than the median 2.0 when minimising");
    }

    [Test]
    public void ShouldPrune_BeforeStartupOrWarmup_Never()
    {
        var history = new List<FrozenTrial> { Trial(0, TrialState.Complete, (0, 0.9), (1, 0.9)) };
        var running = Trial(1, TrialState.Running, (0, 0.0));
        history.Add(running);
        Assert.Multiple(() =>
        {
            Assert.That(new MedianPruner(startupTrials: 2).ShouldPrune(running, history, [Objective.Maximize("acc")]), Is.False);
            Assert.That(new MedianPruner(startupTrials: 1, warmupSteps: 1).ShouldPrune(running, history, [Objective.Maximize("acc")]), Is.False);
            Assert.That(new MedianPruner(startupTrials: 1).ShouldPrune(running, history, [Objective.Maximize("acc")]), Is.True);
        });
    }
}
