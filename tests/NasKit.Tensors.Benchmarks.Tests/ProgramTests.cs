namespace NasKit.Tensors.Benchmarks.Tests;

/// <summary>The entry point's exit codes, which CI scripts rely on.</summary>
public class ProgramTests
{
    [Test]
    public void Main_FilterMatchesNothing_ReturnsOne() =>
        Assert.That(Program.Main(["--filter", "*NoSuchBenchmarkAnywhere*", "--job", "dry"]), Is.EqualTo(1));

    [Test]
    public void Main_ListFlat_ReturnsZero() =>
        Assert.That(Program.Main(["--list", "flat"]), Is.EqualTo(0));
}
