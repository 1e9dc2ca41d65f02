using NasKit.Tensors.Benchmarks.Elementwise;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests.Elementwise;

/// <summary>Validates every benchmark of <see cref="ElementwiseBenchmarks"/> against its baseline, for every params combination.</summary>
[TestFixture]
public sealed class ElementwiseBenchmarksTests : BenchmarkValidationTests<ElementwiseBenchmarks>;
