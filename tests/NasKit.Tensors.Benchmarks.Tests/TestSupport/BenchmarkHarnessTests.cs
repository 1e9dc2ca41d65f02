using BenchmarkDotNet.Attributes;

namespace NasKit.Tensors.Benchmarks.Tests.TestSupport;

/// <summary>Shows that the validator can fail: it catches a benchmark that measures the wrong operation, broken structure and state leaks.</summary>
public class BenchmarkHarnessTests
{
    [Test]
    public void Validate_BenchmarkComputesNegateInsteadOfAbs_ReportsMismatch()
    {
        // The dotnet/performance slip that STYLE.md G21 cites: a benchmark named for one op that calls another.
        var set = BenchmarkHarness.ParameterSets(typeof(NegateInsteadOfAbsBenchmarks)).Single();

        var problems = BenchmarkHarness.Validate(typeof(NegateInsteadOfAbsBenchmarks), set);

        Assert.That(problems, Has.Some.Contains("Abs vs ScalarAbs").And.Some.Contains("differs"));
    }

    [Test]
    public void Validate_CorrectBenchmark_ReportsNothing() =>
        Assert.That(BenchmarkHarness.Validate(typeof(AbsBenchmarks), BenchmarkHarness.ParameterSets(typeof(AbsBenchmarks)).Single()), Is.Empty);

    [Test]
    public void Validate_ResultDependsOnPreviousCalls_ReportsSecondCallMismatch()
    {
        var problems = BenchmarkHarness.Validate(typeof(AccumulatingBenchmarks), BenchmarkHarness.ParameterSets(typeof(AccumulatingBenchmarks)).Single());

        Assert.That(problems, Has.Some.Contains("Accumulate (second call vs first)"));
    }

    [Test]
    public void Validate_BaselineReturnsZeros_ReportsDegenerateReference()
    {
        var problems = BenchmarkHarness.Validate(typeof(ZeroBenchmarks), BenchmarkHarness.ParameterSets(typeof(ZeroBenchmarks)).Single());

        Assert.That(problems, Has.Some.Contains("all zeros"));
    }

    [Test]
    public void StructuralProblems_TwoBaselinesNoCategoryVoidMethod_ReportsEach()
    {
        var problems = BenchmarkHarness.StructuralProblems(typeof(MalformedBenchmarks));

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Some.Contains("exactly one [Benchmark(Baseline = true)] method, but has 2"));
            Assert.That(problems, Has.Some.Contains("[BenchmarkCategory]"));
            Assert.That(problems, Has.Some.Contains("[MemoryDiagnoser]"));
            Assert.That(problems, Has.Some.Contains("returns void"));
        });
    }

    [Test]
    public void StructuralProblems_OnlyABaseline_ReportsNothingToCompare() =>
        Assert.That(BenchmarkHarness.StructuralProblems(typeof(LoneBaselineBenchmarks)), Has.Some.Contains("at least one benchmark besides the baseline"));

    [Test]
    public void ParameterSets_TwoParamsMembers_EnumerateCartesianProduct()
    {
        var sets = BenchmarkHarness.ParameterSets(typeof(AbsBenchmarks)).Select(s => s.ToString()).ToList();
        var grid = BenchmarkHarness.ParameterSets(typeof(GridBenchmarks)).Select(s => s.ToString()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(sets, Is.EqualTo(new[] { "Size=37" }));
            Assert.That(grid, Is.EquivalentTo(new[] { "Size=2, Flag=False", "Size=2, Flag=True", "Size=3, Flag=False", "Size=3, Flag=True" }));
        });
    }

    [Test]
    public void Compare_DifferenceWithinFloatRounding_Passes()
    {
        float[] expected = [1000f, -3f, 0.25f, 0f];
        float[] actual = [1000.0001f, -3.00003f, 0.25f, 1e-3f]; // one ulp; 1e-5 relative; 1e-3 absolute is within 5e-6 x scale 1000

        Assert.That(BenchmarkHarness.Compare("x", [expected], [actual]), Is.Empty);
    }

    [TestCase(1.0001f, 1f)]    // 1e-4 relative at scale 1: four times the tolerance
    [TestCase(1e-4f, 0f)]      // an element that should cancel to zero, off by 1e-4 at scale 1
    [TestCase(float.NaN, 1f)]  // non-finite results never match
    [TestCase(-1f, 1f)]        // a sign slip
    public void Compare_DifferenceBeyondTolerance_Fails(float actual, float expected) =>
        Assert.That(BenchmarkHarness.Compare("x", [[expected]], [[actual]]), Has.Count.EqualTo(1));

    [Test]
    public void Compare_DifferentPartCountsOrLengths_Fails()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BenchmarkHarness.Compare("x", [[1f], [2f]], [[1f]]), Has.Some.Contains("1 result part(s), but the reference has 2"));
            Assert.That(BenchmarkHarness.Compare("x", [[1f, 2f]], [[1f]]), Has.Some.Contains("part 0 has 1 elements, but the reference has 2"));
        });
    }

    [Test]
    public void ToParts_ValuesAndIndicesAndNestedArrays_FlattenInOrder()
    {
        using var values = Tensor.FromArray([3f, 4f], 2);
        using var indices = Tensor.FromArray([1f, 0f], 2);

        var parts = BenchmarkHarness.ToParts(new object[] { new ValuesAndIndices(values, indices), new float[][] { [7f] } });

        Assert.That(parts, Is.EqualTo(new[] { new[] { 3f, 4f }, new[] { 1f, 0f }, new[] { 7f } }));
    }

    /// <summary>A correct benchmark: Tensor.Abs against a scalar loop.</summary>
    [MemoryDiagnoser]
    [BenchmarkCategory("Fake")]
    public class AbsBenchmarks : TensorBenchmark
    {
        private Tensor _x = null!;
        private float[] _data = [];

        [Params(37)]
        public int Size { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _x = Own(Tensor.Randn([Size], Seeded(1)));
            _data = _x.ToArray();
        }

        [Benchmark(Baseline = true)]
        public float[] ScalarAbs() => _data.Select(MathF.Abs).ToArray();

        [Benchmark]
        public virtual Tensor Abs() => Publish(_x.Abs());

        protected Tensor Input => _x;
    }

    /// <summary>The slip: named Abs, computes Neg.</summary>
    public class NegateInsteadOfAbsBenchmarks : AbsBenchmarks
    {
        [Benchmark]
        public override Tensor Abs() => Publish(Input.Neg());
    }

    /// <summary>A benchmark whose result changes from call to call (state that BenchmarkDotNet's iterations would accumulate).</summary>
    [MemoryDiagnoser]
    [BenchmarkCategory("Fake")]
    public class AccumulatingBenchmarks
    {
        private float _total;

        [GlobalSetup]
        public void Setup() => _total = 1f;

        [Benchmark(Baseline = true)]
        public float[] Baseline() => [_total];

        [Benchmark]
        public float[] Accumulate() => [_total++];
    }

    /// <summary>A benchmark whose reference is all zeros, which any do-nothing benchmark would match.</summary>
    [MemoryDiagnoser]
    [BenchmarkCategory("Fake")]
    public class ZeroBenchmarks
    {
        private int _length;

        [GlobalSetup]
        public void Setup() => _length = 4;

        [Benchmark(Baseline = true)]
        public float[] Baseline() => new float[_length];

        [Benchmark]
        public float[] Nothing() => new float[_length];
    }

    /// <summary>Two baselines, a void benchmark, no diagnoser and no category.</summary>
    public class MalformedBenchmarks
    {
        private float _value;

        [GlobalSetup]
        public void Setup() => _value = 1f;

        [Benchmark(Baseline = true)]
        public float[] First() => [_value];

        [Benchmark(Baseline = true)]
        public float[] Second() => [_value];

        [Benchmark]
        public void Nothing() => _value++;
    }

    /// <summary>A baseline with nothing to compare against it.</summary>
    [MemoryDiagnoser]
    [BenchmarkCategory("Fake")]
    public class LoneBaselineBenchmarks
    {
        private float _value;

        [GlobalSetup]
        public void Setup() => _value = 1f;

        [Benchmark(Baseline = true)]
        public float[] Baseline() => [_value];
    }

    /// <summary>Two params members, to check the cartesian product.</summary>
    public class GridBenchmarks
    {
        [Params(2, 3)]
        public int Size { get; set; }

        [ParamsAllValues]
        public bool Flag { get; set; }

        [Benchmark(Baseline = true)]
        public float[] Baseline() => [Size];
    }
}
