using System.Text.Json;

namespace NasKit.Cli.Tests.Commands;

public sealed class CostCommandTests
{
    private const string WorkedExample = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    private const string DartsV2 =
        "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))";

    [Test]
    public void Run_Nb201Json_PrintsWorkedExampleCounts()
    {
        var (code, output, error) = Run("cost", "--space", "nb201", "--arch", WorkedExample, "--input", "3x32x32", "--classes", "10", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;

        // ALGORITHMS.md §5(d): 1,073,466 parameters and 153,272,970 MACs.
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("params").GetInt64(), Is.EqualTo(1_073_466));
            Assert.That(root.GetProperty("macs").GetInt64(), Is.EqualTo(153_272_970));
            Assert.That(root.GetProperty("activation_bytes").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(root.GetProperty("peak_activation_bytes").GetInt64(), Is.GreaterThan(3 * 32 * 32 * 4));
            Assert.That(root.GetProperty("peak_activation_bytes").GetInt64(), Is.LessThan(root.GetProperty("activation_bytes").GetInt64()));
            Assert.That(root.GetProperty("arch").GetString(), Is.EqualTo(WorkedExample));
            Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void Run_Nb201ImageNet16_MatchesPublishedCounts()
    {
        // NAS-Bench-201 row 1 of nb201_all.csv: params_in16 0.809576 M, flops_in16 28.495480 M.
        var (code, output, error) = Run("cost", "--space", "nb201", "--arch",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|", "--input", "3x16x16", "--classes", "120", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("params").GetInt64(), Is.EqualTo(809_576));
            Assert.That(json.RootElement.GetProperty("macs").GetInt64(), Is.EqualTo(28_495_480));
        });
    }

    [Test]
    public void Run_Text_PrintsEveryFigure()
    {
        var (code, output, _) = Run("cost", "--space", "nb201", "--arch", WorkedExample);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("1,073,466").And.Contain("153,272,970").And.Contain("peak activation bytes"));
    }

    [Test]
    public void Run_Darts_CountsGenotype()
    {
        var (code, output, error) = Run("cost", "--space", "darts", "--arch", DartsV2, "--input", "3x32x32", "--classes", "10", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("params").GetInt64(), Is.GreaterThan(3_000_000).And.LessThan(3_500_000), "DARTS V2 at C=36, 20 layers is about 3.3 M parameters");
    }

    [TestCase("--space", "nb201", "--arch", "|nor_conv_3x3~0|+|conv_9x9~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|", TestName = "Run_UnknownOperation_ExitCode2")]
    [TestCase("--space", "nb201", "--arch", "|nor_conv_3x3~0|+|nor_conv_3x3~0", TestName = "Run_MalformedText_ExitCode2")]
    [TestCase("--space", "nb201", "--arch", WorkedExample, "--input", "3x2x2", TestName = "Run_ImpossibleInputSize_ExitCode2")]
    [TestCase("--space", "nb201", "--arch", WorkedExample, "--input", "3x32", TestName = "Run_InputWithTwoSizes_ExitCode2")]
    [TestCase("--space", "nb201", "--arch", WorkedExample, "--input", "3x32x16", TestName = "Run_NonSquareInput_ExitCode2")]
    [TestCase("--space", "resnet", "--arch", "x", TestName = "Run_UnknownSpace_ExitCode2")]
    [TestCase("--space", "nb201", TestName = "Run_MissingArch_ExitCode2")]
    [TestCase("--space", "nb201", "--arch", WorkedExample, "--classes", "0", TestName = "Run_ZeroClasses_ExitCode2")]
    public void Run_BadInput_OneLineErrorAndExitCode2(params string[] args)
    {
        var (code, output, error) = Run(["cost", .. args]);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error.TrimEnd('\n', '\r').Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.StartWith("naskit: "));
        });
    }

    [Test]
    public void Run_UnknownOperation_NamesPositionAndValidOperations()
    {
        var (_, _, error) = Run("cost", "--space", "nb201", "--arch", "|nor_conv_3x3~0|+|conv_9x9~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
        Assert.That(error, Does.Contain("character 18").And.Contain("conv_9x9").And.Contain("avg_pool_3x3"));
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = NaskitApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
