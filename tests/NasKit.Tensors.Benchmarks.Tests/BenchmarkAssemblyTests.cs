using System.Reflection;
using NasKit.Tensors.Benchmarks.Tests.TestSupport;

namespace NasKit.Tensors.Benchmarks.Tests;

/// <summary>Guards the benchmark assembly as a whole: every benchmark class is well-formed and has a validation fixture in the mirrored folder.</summary>
public class BenchmarkAssemblyTests
{
    private static readonly Assembly s_benchmarks = typeof(TensorBenchmark).Assembly;

    private static IEnumerable<TestCaseData> BenchmarkClasses() =>
        BenchmarkHarness.FindBenchmarkClasses(s_benchmarks).Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    [Test]
    public void FindBenchmarkClasses_BenchmarkAssembly_FindsEveryKernelFamily()
    {
        var names = BenchmarkHarness.FindBenchmarkClasses(s_benchmarks).Select(t => t.Name);

        Assert.That(names, Is.SupersetOf(new[]
        {
            "GemmBenchmarks", "Conv2dBenchmarks", "BatchNormBenchmarks", "PoolingBenchmarks",
            "ElementwiseBenchmarks", "ReductionBenchmarks", "SoftmaxBenchmarks", "CrossEntropyBenchmarks",
        }));
    }

    [TestCaseSource(nameof(BenchmarkClasses))]
    public void BenchmarkClass_Declared_HasExactlyOneBaselineAndNoStructuralProblems(Type type)
    {
        Assert.Multiple(() =>
        {
            Assert.That(BenchmarkHarness.Baselines(type), Has.Count.EqualTo(1), $"{type.Name} baselines");
            Assert.That(BenchmarkHarness.StructuralProblems(type), Is.Empty);
        });
    }

    [TestCaseSource(nameof(BenchmarkClasses))]
    public void BenchmarkClass_Declared_HasValidationFixtureInMirroredNamespace(Type type)
    {
        // A new benchmark class must get a one-line fixture deriving from BenchmarkValidationTests<T> in the mirrored folder.
        var fixture = typeof(BenchmarkAssemblyTests).Assembly.GetTypes().SingleOrDefault(t =>
            t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(BenchmarkValidationTests<>) && b.GetGenericArguments()[0] == type);
        var expectedNamespace = type.Namespace!.Replace("NasKit.Tensors.Benchmarks", "NasKit.Tensors.Benchmarks.Tests", StringComparison.Ordinal);

        Assert.That(fixture, Is.Not.Null, $"no BenchmarkValidationTests<{type.Name}> fixture");
        Assert.Multiple(() =>
        {
            Assert.That(fixture!.Name, Is.EqualTo(type.Name + "Tests"));
            Assert.That(fixture.Namespace, Is.EqualTo(expectedNamespace));
        });
    }
}
