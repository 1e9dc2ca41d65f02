using NasKit.Tensors.Benchmarks.Losses;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.Losses;

/// <summary>Validates every benchmark of <see cref="CrossEntropyBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class CrossEntropyBenchmarksTests : BenchmarkValidationTests<CrossEntropyBenchmarks>;
