using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Objectives.Tests.Evaluation;

public sealed class TabularEvaluatorTests
{
    // Rows 0 and 1 of shared/benchmarks/nb201/nb201_all.csv (a subset of its columns), plus a made-up training-time column.
    private const string Arch0 = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
    private const string Arch1 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
    private const string Csv =
        "index,arch,c10_valid,c10_test,flops_c10,train_seconds\n" +
        $"0,{Arch0},81.9827,85.8633,15.647370,1200.5\n" +
        $"1,{Arch1},90.7693,93.6600,113.951370,2400\n";

    private static readonly Nb201SearchSpace s_space = new();

    [Test]
    public async Task EvaluateAsync_KnownArchitecture_ReturnsChosenColumnsAndCost()
    {
        var table = TabularBenchmark.Parse(new StringReader(Csv));
        var evaluator = new TabularEvaluator(table, ["c10_valid", "flops_c10"], costColumn: "train_seconds");

        var result = await evaluator.EvaluateAsync(s_space.Parse(Arch1), NullTrialReporter.Instance);

        Assert.Multiple(() =>
        {
            Assert.That(evaluator.MetricNames, Is.EqualTo(new[] { "c10_valid", "flops_c10" }));
            Assert.That(result.Metrics.Keys, Is.EquivalentTo(new[] { "c10_valid", "flops_c10" }));
            Assert.That(result["c10_valid"], Is.EqualTo(90.7693));
            Assert.That(result["flops_c10"], Is.EqualTo(113.951370));
            Assert.That(result.Cost, Is.EqualTo(2400));
        });
    }

    [Test]
    public void EvaluateAsync_UnknownArchitecture_ThrowsNamingTheKey()
    {
        var table = TabularBenchmark.Parse(new StringReader(Csv), source: "two-rows.csv");
        var evaluator = new TabularEvaluator(table, ["c10_valid"]);
        const string Other = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";

        Assert.That(async () => await evaluator.EvaluateAsync(s_space.Parse(Other), NullTrialReporter.Instance),
            Throws.TypeOf<KeyNotFoundException>().With.Message.Contain(Other).And.Message.Contain("two-rows.csv").And.Message.Contain("'nb201'"));
    }

    [Test]
    public void Ctor_MissingOrNonNumericColumn_FailsAtConstruction()
    {
        var table = TabularBenchmark.Parse(new StringReader(Csv));
        Assert.Multiple(() =>
        {
            Assert.That(() => new TabularEvaluator(table, ["c100_valid"]), Throws.TypeOf<KeyNotFoundException>().With.Message.Contain("'c100_valid'"));
            Assert.That(() => new TabularEvaluator(table, ["arch"]), Throws.TypeOf<InvalidDataException>().With.Message.Contain("column 'arch'"));
            Assert.That(() => new TabularEvaluator(table, ["c10_valid"], costColumn: "gpu_hours"), Throws.TypeOf<KeyNotFoundException>());
            Assert.That(() => new TabularEvaluator(table, []), Throws.ArgumentException.With.Message.Contain("At least one metric column"));
        });
    }

    [Test]
    public async Task EvaluateAsync_CustomKeySelector_UsesIt()
    {
        var table = TabularBenchmark.Parse(new StringReader(Csv), keyColumn: "index");
        var evaluator = new TabularEvaluator(table, ["c10_test"], keySelector: a => a.ToString() == Arch0 ? "0" : "1");
        var result = await evaluator.EvaluateAsync(s_space.Parse(Arch0), NullTrialReporter.Instance);
        Assert.That(result["c10_test"], Is.EqualTo(85.8633));
    }

    [Test]
    public async Task EvaluateAsync_RealNasBench201Table_LooksUpByTextForm()
    {
        var file = TabularBenchmarkTests.FindNb201Table() ?? throw new IgnoreException("nb201_all.csv not found next to the repository.");
        var evaluator = new TabularEvaluator(TabularBenchmark.Load(file), ["c10_valid", "c10_test"]);

        // shared/benchmarks/nb201/nb201_all.csv, row 1.
        var result = await evaluator.EvaluateAsync(s_space.Parse(Arch1), NullTrialReporter.Instance);
        Assert.Multiple(() =>
        {
            Assert.That(result["c10_valid"], Is.EqualTo(90.7693));
            Assert.That(result["c10_test"], Is.EqualTo(93.66));
        });
    }
}
