using NasKit.Tensors.Benchmarks.Reductions;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.Reductions;

/// <summary>Validates every benchmark of <see cref="ReductionBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class ReductionBenchmarksTests : BenchmarkValidationTests<ReductionBenchmarks>;
