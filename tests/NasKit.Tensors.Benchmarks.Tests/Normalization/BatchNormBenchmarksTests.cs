using NasKit.Tensors.Benchmarks.Normalization;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.Normalization;

/// <summary>Validates every benchmark of <see cref="BatchNormBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class BatchNormBenchmarksTests : BenchmarkValidationTests<BatchNormBenchmarks>;
