using System.Globalization;
using System.Text;
using System.Text.Json;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Cli.Tests.Commands;

public sealed class SearchCommandTests
{
    private string _folder = null!;
    private string _table = null!;

    [SetUp]
    public void CreateTable()
    {
        // A synthetic benchmark over all 15,625 cells: score = number of 3x3 convolutions + 0.1 x number of 1x1 convolutions;
        // cost = 9 x n3 + n1. The best score is the all-3x3 cell.
        _folder = Path.Combine(Path.GetTempPath(), "naskit-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _table = Path.Combine(_folder, "table.csv");
        var sb = new StringBuilder("arch,score,cost\n");
        foreach (var cell in new Nb201SearchSpace().Enumerate())
        {
            var n3 = cell.Operations.Count(o => o == Nb201Operation.NorConv3x3);
            var n1 = cell.Operations.Count(o => o == Nb201Operation.NorConv1x1);
            sb.Append(CultureInfo.InvariantCulture, $"{cell},{n3 + (0.1 * n1)},{(9 * n3) + n1}\n");
        }

        File.WriteAllText(_table, sb.ToString());
    }

    [TearDown]
    public void DeleteTable() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Run_TableSingleObjective_JsonBestFromTable()
    {
        var (code, output, error) = Run("search", "--space", "nb201", "--table", _table, "--strategy", "rea", "--objective", "score:max", "--report", "cost",
            "--trials", "60", "--seed", "3", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        var last = output.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var best = json.RootElement.GetProperty("best");
        var arch = best.GetProperty("arch").GetString()!;
        var cell = new Nb201SearchSpace().Parse(arch);
        var n3 = cell.Operations.Count(o => o == Nb201Operation.NorConv3x3);
        var n1 = cell.Operations.Count(o => o == Nb201Operation.NorConv1x1);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("strategy").GetString(), Is.EqualTo("rea"));
            Assert.That(json.RootElement.GetProperty("trials").GetInt32(), Is.EqualTo(60));
            Assert.That(best.GetProperty("score").GetDouble(), Is.EqualTo(n3 + (0.1 * n1)).Within(1e-9), "the reported score is the table's value for that architecture");
            Assert.That(best.GetProperty("cost").GetDouble(), Is.EqualTo((9 * n3) + n1));
            Assert.That(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(60), "one progress line per trial on stderr");
        });
    }

    [Test]
    public void Run_TwoObjectivesWithStore_ParetoFrontAndStudyShow()
    {
        var store = Path.Combine(_folder, "study.db");
        var (code, output, error) = Run("search", "--space", "nb201", "--table", _table, "--strategy", "nsga2", "--objective", "score:max", "--objective", "cost:min",
            "--trials", "50", "--seed", "1", "--store", store, "--json");
        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        var front = json.RootElement.GetProperty("pareto").EnumerateArray().Select(p => (Score: p.GetProperty("score").GetDouble(), Cost: p.GetProperty("cost").GetDouble())).ToList();
        Assert.That(front, Is.Not.Empty);
        Assert.That(front.Any(a => front.Any(b => b.Score >= a.Score && b.Cost <= a.Cost && (b.Score > a.Score || b.Cost < a.Cost))), Is.False, "no front member dominates another");

        var (showCode, shown, showError) = Run("study", "show", "--store", store);
        Assert.That(showCode, Is.EqualTo(0), showError);
        Assert.That(shown, Does.Contain("nsga2").And.Contain($"Pareto front ({front.Count} of 50 complete trials)"));
    }

    [Test]
    public void Run_SameStoreTwice_ResumesToLargerBudget()
    {
        var store = Path.Combine(_folder, "study.db");
        Assert.That(Run("search", "--space", "nb201", "--table", _table, "--strategy", "random", "--objective", "score:max", "--trials", "10", "--store", store).Code, Is.EqualTo(0));
        var (code, output, _) = Run("search", "--space", "nb201", "--table", _table, "--strategy", "random", "--objective", "score:max", "--trials", "25", "--store", store, "--json");
        Assert.That(code, Is.EqualTo(0));
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        Assert.That(json.RootElement.GetProperty("trials").GetInt32(), Is.EqualTo(25));
    }

    [TestCase("--objective", "nope:max", TestName = "Run_UnknownColumn_ExitCode2")]
    [TestCase("--objective", "score", TestName = "Run_ObjectiveWithoutDirection_ExitCode2")]
    [TestCase("--objective", "score:max", "--constraint", "cost<<3", TestName = "Run_MalformedConstraint_ExitCode2")]
    [TestCase("--objective", "score:max", "--strategy2", "x", TestName = "Run_UnknownOption_ExitCode2")]
    public void Run_BadInput_OneLineErrorExitCode2(params string[] extra)
    {
        var (code, _, error) = Run(["search", "--space", "nb201", "--table", _table, "--strategy", "random", "--trials", "3", .. extra]);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.StartWith("naskit: "));
        });
    }

    [Test]
    public void Run_StoreOfAnotherStrategy_RefusedWithReason()
    {
        var store = Path.Combine(_folder, "study.db");
        Run("search", "--space", "nb201", "--table", _table, "--strategy", "random", "--objective", "score:max", "--trials", "3", "--store", store);
        var (code, _, error) = Run("search", "--space", "nb201", "--table", _table, "--strategy", "rea", "--objective", "score:max", "--trials", "3", "--store", store);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("strategy"));
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = NaskitApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
