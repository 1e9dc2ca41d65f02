using NasKit.Tensors.Benchmarks.Pooling;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.Pooling;

/// <summary>Validates every benchmark of <see cref="PoolingBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class PoolingBenchmarksTests : BenchmarkValidationTests<PoolingBenchmarks>;
