using System.Text.Json;

namespace NasKit.Cli.Tests.Commands;

/// <summary>End-to-end runs of <c>naskit search</c> with one-shot strategies on a small seeded subset of the real Fashion-MNIST.</summary>
[Category("Integration")]
public sealed class OneShotSearchRunnerTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "naskit-cli-oneshot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Run_ZoDartsPlusWithRetraining_JsonLastLineWithArchAndTestAccuracy()
    {
        var (code, output, error) = Run(
            "search", "--space", "nb201", "--dataset", "fashion-mnist", "--strategy", "zo-darts+", "--epochs", "2", "--cells", "1", "--channels", "4",
            "--batch", "32", "--seed", "3", "--train-samples", "640", "--retrain-epochs", "1", "--retrain-samples", "512", "--json");

        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("strategy").GetString(), Is.EqualTo("zo-darts+"));
            Assert.That(root.GetProperty("arch").GetString(), Does.Match(@"^\|[a-z_0-9]+~0\|\+\|[a-z_0-9]+~0\|[a-z_0-9]+~1\|\+\|[a-z_0-9]+~0\|[a-z_0-9]+~1\|[a-z_0-9]+~2\|$"));
            Assert.That(root.GetProperty("epochs").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("search_seconds").GetDouble(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("retrain_test_accuracy").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(error, Does.Contain("epoch 2/2"));
        });
    }

    [Test]
    public void Run_DartsWithCheckpointTwice_SecondRunResumesAndFindsTheSameCell()
    {
        var checkpoint = Path.Combine(_folder, "darts.ckpt");
        string[] args = ["search", "--space", "nb201", "--dataset", "fashion-mnist", "--strategy", "darts", "--epochs", "1", "--cells", "1", "--channels", "4",
            "--batch", "32", "--seed", "4", "--train-samples", "128", "--checkpoint", checkpoint, "--json"];
        var first = Run(args);
        var second = Run(args);

        Assert.Multiple(() =>
        {
            Assert.That(first.Code, Is.EqualTo(0), first.Error);
            Assert.That(second.Code, Is.EqualTo(0), second.Error);
            Assert.That(second.Error, Does.Not.Contain("epoch 1/1"), "nothing left to train after the checkpoint of the last epoch");
            Assert.That(LastJson(second.Output).GetProperty("arch").GetString(), Is.EqualTo(LastJson(first.Output).GetProperty("arch").GetString()));
        });
    }

    [TestCase("--table", "x.csv", TestName = "Run_OneShotWithTable_ExitCode2")]
    [TestCase("--dataset", "cifar10", TestName = "Run_OneShotUnknownDataset_ExitCode2")]
    [TestCase("--dataset", "fashion-mnist", "--epochs", "0", TestName = "Run_OneShotZeroEpochs_ExitCode2")]
    public void Run_OneShotBadInput_OneLineErrorExitCode2(params string[] extra)
    {
        var (code, _, error) = Run(["search", "--space", "nb201", "--strategy", "gdas", .. extra]);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.StartWith("naskit: "));
        });
    }

    private static JsonElement LastJson(string output) => JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement.Clone();

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = NaskitApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
