using NasKit.Objectives;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Internal;
using NasKit.Optimizers.Samplers;
using NasKit.Tensors;

namespace NasKit.Optimizers.Tests.Samplers;

public sealed class TpeParameterSamplerTests
{
    private static readonly Objective[] s_loss = [Objective.Minimize("loss")];

    private static FrozenTrial Trial(int number, TrialState state, double? loss = null, IReadOnlyList<IntermediateValue>? intermediate = null,
        IReadOnlyDictionary<string, double>? metrics = null, (string Name, double Value, ParameterDistribution Distribution)? parameter = null) => new()
    {
        Number = number,
        State = state,
        Architecture = "fixed",
        CanonicalHash = "h",
        Metrics = metrics ?? (loss is { } l ? new Dictionary<string, double> { ["loss"] = l } : new Dictionary<string, double>()),
        Intermediate = intermediate ?? [],
        Parameters = parameter is { } p ? new Dictionary<string, double> { [p.Name] = p.Value } : new Dictionary<string, double>(),
        Distributions = parameter is { } q ? new Dictionary<string, ParameterDistribution> { [q.Name] = q.Distribution } : new Dictionary<string, ParameterDistribution>(),
    };

    private static IntermediateValue At(int step, double loss) => new(step, new Dictionary<string, double> { ["loss"] = loss });

    [Test]
    public void Split_NotEnoughCompleteTrials_PrunedByDepthThenValueThenInfeasible()
    {
        var constraints = new[] { Constraint.AtMost("macs", 10) };
        IReadOnlyDictionary<string, double> M(double loss, double macs) => new Dictionary<string, double> { ["loss"] = loss, ["macs"] = macs };
        FrozenTrial[] trials =
        [
            Trial(0, TrialState.Complete, metrics: M(0.5, 5)),
            Trial(1, TrialState.Pruned, intermediate: [At(0, 0.1), At(2, 0.9)]), // deepest (step 2), worse value
            Trial(2, TrialState.Pruned, intermediate: [At(1, 0.05)]),
            Trial(3, TrialState.Pruned, intermediate: [At(2, 0.7)]),            // deepest, better value
            Trial(4, TrialState.Pruned),                                        // reported nothing: last among pruned
            Trial(5, TrialState.Complete, metrics: M(0.1, 50)),                 // infeasible (violation 40)
            Trial(6, TrialState.Complete, metrics: M(0.9, 12)),                 // infeasible (violation 2)
            Trial(7, TrialState.Complete, metrics: M(0.7, 1)),
        ];

        var (below, above, weights) = TpeParameterSampler.Split(trials, 7, s_loss, constraints);

        // Optuna 4.0 _split_trials: complete feasible by value (7 places: 0 and 7), then pruned by (−last step, value): 3, 1, 2, 4, then
        // infeasible by violation: 6. Both sets in trial-number order.
        Assert.Multiple(() =>
        {
            Assert.That(below.Select(t => t.Number), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 6, 7 }));
            Assert.That(above.Select(t => t.Number), Is.EqualTo(new[] { 5 }));
            Assert.That(weights, Is.Null);
            Assert.That(TpeParameterSampler.Split(trials, 3, s_loss, constraints).Below.Select(t => t.Number), Is.EqualTo(new[] { 0, 3, 7 }));
            Assert.That(TpeParameterSampler.Split(trials, 1, s_loss, constraints).Below.Select(t => t.Number), Is.EqualTo(new[] { 0 }));
        });
    }

    [Test]
    public void Split_MultiObjectiveFrontDoesNotFit_GreedyHypervolumeTieBreak()
    {
        Objective[] objectives = [Objective.Minimize("f1"), Objective.Minimize("f2")];
        IReadOnlyDictionary<string, double> M(double a, double b) => new Dictionary<string, double> { ["f1"] = a, ["f2"] = b };
        FrozenTrial[] trials =
        [
            Trial(0, TrialState.Complete, metrics: M(1, 4)),
            Trial(1, TrialState.Complete, metrics: M(2, 2.1)),
            Trial(2, TrialState.Complete, metrics: M(2.1, 2)),
            Trial(3, TrialState.Complete, metrics: M(4, 1)),
            Trial(4, TrialState.Complete, metrics: M(5, 5)), // dominated: rank 1
        ];

        var (below, _, weights) = TpeParameterSampler.Split(trials, 2, objectives, []);

        // By hand, reference (4.4, 4.4) = max(1.1, 0.9)·worst of the front. Alone, (2, 2.1) and (2.1, 2) add 2.4·2.3 = 5.52 each (the first
        // wins the tie); (1, 4) and (4, 1) add 1.36. Given (2, 2.1): (2.1, 2) adds 0.23, (1, 4) adds 1·0.4 = 0.4, (4, 1) adds
        // 0.4·3.4 − 0.4·2.3 = 0.44, so trial 3 is second.
        Assert.Multiple(() =>
        {
            Assert.That(below.Select(t => t.Number), Is.EqualTo(new[] { 1, 3 }));
            Assert.That(weights, Has.Length.EqualTo(2));
        });
    }

    [Test]
    public void ContributionWeights_ThreePointFront_ExclusiveVolumesOverLargest()
    {
        // Reference (3.3, 3.3). Exclusive boxes, by hand: (1, 3) → [1, 2]×[3, 3.3] = 0.3; (2, 2) → [2, 3]×[2, 3] = 1; (3, 1) →
        // [3, 3.3]×[1, 2] = 0.3. The infeasible point gets 1e-12.
        var weights = HypervolumeSelection.ContributionWeights([[1, 3], [2, 2], [3, 1], [0, 0]], [true, true, true, false]);
        Assert.That(weights, Is.EqualTo(new[] { 0.3, 1, 0.3, 1e-12 }).Within(1e-12));
    }

    [Test]
    public void Sample_FewerThanStartupTrials_SameAsRandomSampler()
    {
        var d = new FloatDistribution(-10, 10);
        var history = Enumerable.Range(0, 9).Select(i => Trial(i, TrialState.Complete, loss: i, parameter: ("x", i, d))).ToList();
        var tpe = new TpeParameterSampler().Sample(new ParameterSamplingContext("x", d, history, s_loss, new Generator(3)));
        var random = new RandomParameterSampler().Sample(new ParameterSamplingContext("x", d, history, s_loss, new Generator(3)));
        Assert.That(tpe, Is.EqualTo(random));
    }

    [Test]
    public void Sample_GoodTrialsNearTwo_ConcentratesThereAndIsDeterministic()
    {
        var d = new FloatDistribution(-10, 10);
        var g = new Generator(11);
        var history = Enumerable.Range(0, 40).Select(i =>
        {
            var x = -10 + (20 * g.NextDouble());
            return Trial(i, TrialState.Complete, loss: (x - 2) * (x - 2), parameter: ("x", x, d));
        }).ToList();
        var sampler = new TpeParameterSampler();
        double Suggest(long seed) => sampler.Sample(new ParameterSamplingContext("x", d, history, s_loss, new Generator(seed)));
        var values = Enumerable.Range(0, 50).Select(s => Suggest(s)).ToList();
        var within = values.Count(v => Math.Abs(v - 2) < 2);

        // Uniform draws land within 2 of the optimum 20% of the time; TPE's l is built from the 4 best of 40 trials, all close to 2.
        Assert.Multiple(() =>
        {
            Assert.That(within, Is.GreaterThanOrEqualTo(40));
            Assert.That(Suggest(5), Is.EqualTo(values[5]));
        });
    }

    [Test]
    public void Sample_CategoricalWithOneGoodChoice_PicksIt()
    {
        var d = CategoricalDistribution.Of(["a", "b", "c"]);
        var history = Enumerable.Range(0, 30).Select(i => Trial(i, TrialState.Complete, loss: i % 3 == 1 ? 0 : 1 + i, parameter: ("opt", i % 3, d))).ToList();
        var sampler = new TpeParameterSampler();
        var picks = Enumerable.Range(0, 50).Select(s => sampler.Sample(new ParameterSamplingContext("opt", d, history, s_loss, new Generator(s)))).ToList();
        Assert.That(picks.Count(p => p == 1), Is.GreaterThanOrEqualTo(45), "the good set is all 'b'; random would pick it a third of the time");
    }

    [Test]
    public void Sample_LogIntAndSteppedFloatWithHistory_AlwaysInsideDistribution()
    {
        ParameterDistribution[] distributions = [new IntDistribution(1, 1000, log: true), new FloatDistribution(0, 1, step: 0.3), new IntDistribution(-6, 6, step: 4)];
        foreach (var d in distributions)
        {
            var g = new Generator(2);
            var history = Enumerable.Range(0, 30).Select(i =>
            {
                var v = RandomParameterSampler.Draw(d, g);
                return Trial(i, TrialState.Complete, loss: Math.Abs(v - 1), parameter: ("p", v, d));
            }).ToList();
            var values = Enumerable.Range(0, 100).Select(s => new TpeParameterSampler().Sample(new ParameterSamplingContext("p", d, history, s_loss, new Generator(s)))).ToList();
            Assert.That(values.All(d.Contains), Is.True, $"{d}: {string.Join(", ", values.Where(v => !d.Contains(v)))}");
        }
    }

    [Test]
    public void Ctor_InvalidArguments_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TpeParameterSampler(startupTrials: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TpeParameterSampler(candidateCount: 0));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TpeParameterSampler(priorWeight: double.NaN))!.Message, Does.Contain("priorWeight=NaN"));
        });
    }
}
