using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NasKit.Tensors.Benchmarks;

/// <summary>The run configurations <see cref="Program"/> offers besides BenchmarkDotNet's default.</summary>
public static class BenchmarkConfigs
{
    /// <summary>
    /// Creates the quick configuration behind <c>--quick</c>: BenchmarkDotNet's ShortRun job (one launch, three warm-up and
    /// three measured iterations) run in-process, so nothing is generated or rebuilt. Good for CI smoke runs and for trying
    /// one benchmark; its numbers are noisier than a default run's.
    /// </summary>
    /// <returns>The configuration.</returns>
    public static IConfig Quick() =>
        DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("QuickInProcess").AsDefault());
}
