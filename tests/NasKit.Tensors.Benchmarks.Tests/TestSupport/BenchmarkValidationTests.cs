using BenchmarkDotNet.Attributes;

namespace NasKit.Tensors.Benchmarks.Tests.TestSupport;

/// <summary>
/// The checks every benchmark class gets (STYLE.md G21): it is well-formed for BenchmarkDotNet and NasKit's rules, and for every
/// combination of its <c>[Params]</c> each <c>[Benchmark]</c> method returns what the baseline returns, within a float32 tolerance.
/// A fixture per benchmark class derives from this one, in the folder that mirrors the benchmark's.
/// </summary>
/// <typeparam name="TBenchmark">The benchmark class.</typeparam>
public abstract class BenchmarkValidationTests<TBenchmark>
    where TBenchmark : class
{
    /// <summary>Supplies one test case per parameter set of <typeparamref name="TBenchmark"/>, named as BenchmarkDotNet prints it.</summary>
    /// <returns>The test cases.</returns>
    public static IEnumerable<TestCaseData> ParameterSets() =>
        BenchmarkHarness.ParameterSets(typeof(TBenchmark)).Select(s => new TestCaseData(s).SetArgDisplayNames(s.ToString()));

    [Test]
    public void Class_IsWellFormed_HasNoStructuralProblems() =>
        Assert.That(BenchmarkHarness.StructuralProblems(typeof(TBenchmark)), Is.Empty);

    [Test]
    public void Baseline_Declared_ExactlyOne() =>
        Assert.That(BenchmarkHarness.Baselines(typeof(TBenchmark)), Has.Count.EqualTo(1));

    [Test]
    public void Params_Declared_IncludeOddValueOrEnumerateCases()
    {
        // G21: a power of two and an odd size where sizes are parameters; case enumerations (ParamsAllValues) count as shapes.
        var sets = BenchmarkHarness.ParameterSets(typeof(TBenchmark));
        var values = sets.SelectMany(s => s.Values).ToList();
        var hasOddInt = values.Any(v => v.Value is int i && i % 2 != 0);
        var hasCaseEnum = values.Any(v => v.Value is Enum && v.Key.GetCustomAttributes(typeof(ParamsAllValuesAttribute), true).Length > 0);
        Assert.That(hasOddInt || hasCaseEnum, Is.True, $"{typeof(TBenchmark).Name} has neither an odd [Params] size nor a case enumeration.");
    }

    [TestCaseSource(nameof(ParameterSets))]
    public void Benchmarks_WithParameters_MatchBaseline(ParameterSet parameters) =>
        Assert.That(BenchmarkHarness.Validate(typeof(TBenchmark), parameters), Is.Empty);
}
