using NasKit.Data;
using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;
using NasKit.SearchSpace.Custom;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Objectives.Tests.Evaluation;

/// <summary>An architecture with a chosen text and canonical form, for decorator tests.</summary>
internal sealed class FakeArchitecture(string text, string? canonical = null) : Architecture
{
    public override string SpaceName => "fake";

    public override string CanonicalForm => canonical ?? text;

    public override string ToString() => text;
}

/// <summary>An evaluator whose behaviour per call is scripted; it counts calls.</summary>
internal sealed class ScriptedEvaluator(Func<int, Architecture, CancellationToken, ValueTask<EvaluationResult>> behaviour) : IEvaluator
{
    private int _calls;

    public int Calls => _calls;

    public IReadOnlyList<string> MetricNames { get; } = ["score"];

    public static EvaluationResult Score(double value) => new(new Dictionary<string, double> { ["score"] = value });

    public ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default) =>
        behaviour(Interlocked.Increment(ref _calls), architecture, cancellationToken);
}

/// <summary>A reporter that records reports and prunes from a chosen step on.</summary>
internal sealed class RecordingReporter(int pruneFromStep = int.MaxValue, Action<int>? onReport = null) : ITrialReporter
{
    public List<(int Step, Dictionary<string, double> Values)> Reports { get; } = [];

    public bool ShouldPrune => Reports.Count > 0 && Reports[^1].Step >= pruneFromStep;

    public void Report(int step, IReadOnlyDictionary<string, double> values)
    {
        Reports.Add((step, values.ToDictionary()));
        onReport?.Invoke(step);
    }
}

/// <summary>Tiny search spaces and data sets for evaluator tests.</summary>
internal static class TinyProblems
{
    /// <summary>A space of two-layer perceptrons on 4 features and 2 classes; the hidden width is the only choice (4 or 8).</summary>
    public static CustomSearchSpace Mlp { get; } = new("tiny-mlp", [4], ctx =>
    {
        var width = ctx.Choose(Choice.Categorical("width", 4, 8));
        return new Sequential(new Linear(4, width, generator: ctx.Generator), new ReLU(), new Linear(width, 2, generator: ctx.Generator));
    });

    /// <summary>Two Gaussian blobs in 4-D with means ±1 (per feature) and standard deviation 0.5: almost perfectly separable (or all NaN).</summary>
    public static InMemoryDataset Blobs(int count, long seed, bool allNaN = false)
    {
        var generator = new Generator(seed);
        var features = new float[count * 4];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            var mean = labels[i] == 0 ? -1.0 : 1.0;
            for (var k = 0; k < 4; k++)
            {
                features[(i * 4) + k] = (float)(mean + (0.5 * generator.NextNormal()));
            }
        }

        if (allNaN)
        {
            Array.Fill(features, float.NaN, 0, 4 * count);
        }

        return new InMemoryDataset(features, labels, [4], numClasses: 2);
    }
}
