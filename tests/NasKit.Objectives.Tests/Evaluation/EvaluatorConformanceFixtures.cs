using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;
using NasKit.SearchSpace.Nb201;
using NasKit.Testing;

namespace NasKit.Objectives.Tests.Evaluation;

/// <summary>A tiny benchmark table written by the test to a temporary file (never the shared benchmark file).</summary>
[SetUpFixture]
public sealed class TinyTable
{
    public const string Arch0 = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
    public const string Arch1 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

    public static string Path { get; private set; } = string.Empty;

    [OneTimeSetUp]
    public void Write()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"naskit-tiny-table-{Guid.NewGuid():N}.csv");
        File.WriteAllText(Path, $"arch,c10_valid,flops_c10\n{Arch0},81.9827,15.64737\n{Arch1},90.7693,113.95137\n");
    }

    [OneTimeTearDown]
    public void Delete() => File.Delete(Path);

    public static TabularEvaluator Evaluator() => new(TabularBenchmark.Load(Path), ["c10_valid", "flops_c10"]);

    public static IReadOnlyList<Architecture> Architectures() => [new Nb201SearchSpace().Parse(Arch0), new Nb201SearchSpace().Parse(Arch1)];
}

/// <summary>A training evaluator small enough for the conformance checks: a 4-8-2 perceptron, 64 samples, 2 epochs.</summary>
internal static class TinyTraining
{
    public static TrainingEvaluator Evaluator() => new(TinyProblems.Mlp, TinyProblems.Blobs(64, seed: 1), TinyProblems.Blobs(32, seed: 2),
        new TrainingRecipe { Epochs = 2, BatchSize = 16, LearningRate = 0.1, Seed = 3 });

    public static IReadOnlyList<Architecture> Architectures() => [TinyProblems.Mlp.Parse("width=4"), TinyProblems.Mlp.Parse("width=8")];
}

[TestFixture]
public sealed class TabularEvaluatorConformanceTests : EvaluatorConformanceTests
{
    protected override IEvaluator CreateEvaluator() => TinyTable.Evaluator();

    protected override IReadOnlyList<Architecture> CreateArchitectures() => TinyTable.Architectures();
}

[TestFixture]
public sealed class CostEvaluatorConformanceTests : EvaluatorConformanceTests
{
    protected override IEvaluator CreateEvaluator() => new CostEvaluator(TinyProblems.Mlp);

    protected override IReadOnlyList<Architecture> CreateArchitectures() => TinyTraining.Architectures();
}

[TestFixture]
public sealed class TrainingEvaluatorConformanceTests : EvaluatorConformanceTests
{
    protected override IEvaluator CreateEvaluator() => TinyTraining.Evaluator();

    protected override IReadOnlyList<Architecture> CreateArchitectures() => TinyTraining.Architectures();
}

[TestFixture]
public sealed class CachingEvaluatorConformanceTests : EvaluatorConformanceTests
{
    protected override IEvaluator CreateEvaluator() => new CachingEvaluator(TinyTraining.Evaluator());

    protected override IReadOnlyList<Architecture> CreateArchitectures() => TinyTraining.Architectures();
}

[TestFixture]
public sealed class RetryingEvaluatorConformanceTests : EvaluatorConformanceTests
{
    protected override IEvaluator CreateEvaluator() => new RetryingEvaluator(TinyTraining.Evaluator(), new RetryingEvaluatorOptions { MaxRetries = 2 });

    protected override IReadOnlyList<Architecture> CreateArchitectures() => TinyTraining.Architectures();
}

[TestFixture]
public sealed class TimeBudgetEvaluatorConformanceTests : EvaluatorConformanceTests
{
    protected override IEvaluator CreateEvaluator() => new TimeBudgetEvaluator(TinyTraining.Evaluator(), TimeSpan.FromMinutes(1));

    protected override IReadOnlyList<Architecture> CreateArchitectures() => TinyTraining.Architectures();
}

[TestFixture]
public sealed class DecoratedTabularEvaluatorConformanceTests : EvaluatorConformanceTests
{
    protected override IEvaluator CreateEvaluator() =>
        new CachingEvaluator(new RetryingEvaluator(new TimeBudgetEvaluator(TinyTable.Evaluator(), TimeSpan.FromMinutes(1))));

    protected override IReadOnlyList<Architecture> CreateArchitectures() => TinyTable.Architectures();
}
