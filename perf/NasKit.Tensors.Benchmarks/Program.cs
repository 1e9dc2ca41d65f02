using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace NasKit.Tensors.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher over every benchmark in this assembly (see perf/README.md).</summary>
/// <remarks>
/// <code>
/// dotnet run -c Release --project perf/NasKit.Tensors.Benchmarks -- --list flat
/// dotnet run -c Release --project perf/NasKit.Tensors.Benchmarks -- --filter '*GemmBenchmarks*'
/// dotnet run -c Release --project perf/NasKit.Tensors.Benchmarks -- --quick --filter '*SoftmaxBenchmarks*'
/// </code>
/// Every other argument is BenchmarkDotNet's own (<c>--help</c> lists them). The exit code is 0 when every selected benchmark
/// ran, 1 when one failed, a configuration was invalid or the filter selected nothing, and 2 on a usage error.
/// </remarks>
public static class Program
{
    private const string QuickFlag = "--quick";

    /// <summary>Runs the benchmarks the arguments select.</summary>
    /// <param name="args">BenchmarkDotNet's command-line arguments, plus <c>--quick</c>.</param>
    /// <returns>The process exit code.</returns>
    public static int Main(string[] args)
    {
        var quick = args.Contains(QuickFlag, StringComparer.Ordinal);
        var rest = args.Where(a => !string.Equals(a, QuickFlag, StringComparison.Ordinal)).ToArray();
        var informational = rest.Any(a => a is "--list" or "--help" or "-h" or "--version" or "--info");
        var selects = rest.Any(a => a is "--filter" or "-f" or "--allCategories" or "--anyCategories" or "--join");
        if (!informational && !selects && Console.IsInputRedirected)
        {
            // Without a selection BenchmarkDotNet asks on the console; with no console to answer, say what to pass instead.
            Console.Error.WriteLine($"No benchmark selected. Pass --filter PATTERN (for example --filter '*GemmBenchmarks*'), --list flat, or {QuickFlag} --filter PATTERN.");
            return 2;
        }

        var config = quick ? BenchmarkConfigs.Quick() : DefaultConfig.Instance;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config).ToArray();
        if (summaries.Length == 0)
        {
            return informational ? 0 : 1;
        }

        var failed = 0;
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors)
            {
                Console.Error.WriteLine($"{summary.Title}: critical validation errors (see above).");
                failed++;
            }

            foreach (var report in summary.Reports.Where(r => !r.Success))
            {
                Console.Error.WriteLine($"{report.BenchmarkCase.DisplayInfo}: failed.");
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    }
}
