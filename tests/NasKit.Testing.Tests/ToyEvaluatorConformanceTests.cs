using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;

namespace NasKit.Testing.Tests;

/// <summary>
/// The evaluator conformance suite over <see cref="ToyEvaluator"/>: NUnit runs it on the correct evaluator, and
/// <see cref="EvaluatorConformanceTestsTests"/> creates instances over broken evaluators and calls single checks directly.
/// </summary>
[TestFixture]
public sealed class ToyEvaluatorConformanceTests : EvaluatorConformanceTests
{
    private readonly EvaluatorDefects _defects;

    public ToyEvaluatorConformanceTests()
        : this(EvaluatorDefects.None)
    {
    }

    public ToyEvaluatorConformanceTests(EvaluatorDefects defects) => _defects = defects;

    protected override IEvaluator CreateEvaluator() => new ToyEvaluator(_defects);

    protected override IReadOnlyList<Architecture> CreateArchitectures() => [new ToyArchitecture("toy", 1, 2, 3), new ToyArchitecture("toy", 0, 4, 1)];
}
