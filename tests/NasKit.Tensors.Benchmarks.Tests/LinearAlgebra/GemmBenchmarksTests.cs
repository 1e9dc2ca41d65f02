using NasKit.Tensors.Benchmarks.LinearAlgebra;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.LinearAlgebra;

/// <summary>Validates every benchmark of <see cref="GemmBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class GemmBenchmarksTests : BenchmarkValidationTests<GemmBenchmarks>;
