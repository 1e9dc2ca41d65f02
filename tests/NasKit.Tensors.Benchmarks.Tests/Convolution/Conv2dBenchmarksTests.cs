using NasKit.Tensors.Benchmarks.Convolution;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.Convolution;

/// <summary>Validates every benchmark of <see cref="Conv2dBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class Conv2dBenchmarksTests : BenchmarkValidationTests<Conv2dBenchmarks>;
