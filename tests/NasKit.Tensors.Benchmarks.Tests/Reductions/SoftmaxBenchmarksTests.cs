using NasKit.Tensors.Benchmarks.Reductions;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.Reductions;

/// <summary>Validates every benchmark of <see cref="SoftmaxBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class SoftmaxBenchmarksTests : BenchmarkValidationTests<SoftmaxBenchmarks>;
