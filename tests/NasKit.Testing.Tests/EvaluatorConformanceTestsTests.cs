using NUnit.Framework.Interfaces;

namespace NasKit.Testing.Tests;

/// <summary>
/// Proves that <see cref="EvaluatorConformanceTests"/> can fail: each check is run directly against an evaluator with one deliberate
/// defect and must report an NUnit failure, while the same check passes on the correct evaluator.
/// </summary>
public sealed class EvaluatorConformanceTestsTests
{
    private static readonly (EvaluatorDefects Defect, string Check, Func<ToyEvaluatorConformanceTests, Task> Run)[] s_cases =
    [
        (EvaluatorDefects.MissingDeclaredMetric, "EvaluateAsync_EveryArchitecture_ResultHoldsEveryDeclaredMetric", f => f.EvaluateAsync_EveryArchitecture_ResultHoldsEveryDeclaredMetric()),
        (EvaluatorDefects.IgnoresCancellation, "EvaluateAsync_CancelledToken_ThrowsOperationCanceledPromptly", f =>
        {
            f.EvaluateAsync_CancelledToken_ThrowsOperationCanceledPromptly();
            return Task.CompletedTask;
        }),
        (EvaluatorDefects.NotDeterministic, "EvaluateAsync_SameArchitectureTwice_SameMetricsWhenDeterministic", f => f.EvaluateAsync_SameArchitectureTwice_SameMetricsWhenDeterministic()),
        (EvaluatorDefects.NullNotChecked, "EvaluateAsync_NullArgument_ThrowsArgumentNull", f =>
        {
            f.EvaluateAsync_NullArgument_ThrowsArgumentNull();
            return Task.CompletedTask;
        }),
        (EvaluatorDefects.AcceptsForeign, "EvaluateAsync_ForeignArchitecture_ThrowsNamingIt", f => f.EvaluateAsync_ForeignArchitecture_ThrowsNamingIt()),
        (EvaluatorDefects.ForeignIsFailedTrial, "EvaluateAsync_ForeignArchitecture_ThrowsNamingIt", f => f.EvaluateAsync_ForeignArchitecture_ThrowsNamingIt()),
        (EvaluatorDefects.StepsDecrease, "EvaluateAsync_IntermediateReports_StepsIncreaseAndValuesAreNumbers", f => f.EvaluateAsync_IntermediateReports_StepsIncreaseAndValuesAreNumbers()),
        (EvaluatorDefects.IgnoresPrune, "EvaluateAsync_ReporterAsksToPrune_ThrowsTrialPrunedAfterFirstReport", f => f.EvaluateAsync_ReporterAsksToPrune_ThrowsTrialPrunedAfterFirstReport()),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        s_cases.Select(c => new TestCaseData(c.Defect, c.Run).SetArgDisplayNames(c.Defect.ToString(), c.Check));

    [TestCaseSource(nameof(Cases))]
    public async Task Check_EvaluatorWithDefect_Fails(EvaluatorDefects defect, Func<ToyEvaluatorConformanceTests, Task> check)
    {
        var failure = await RunCheck(new ToyEvaluatorConformanceTests(defect), check);
        Assert.That(failure, Is.Not.Null, $"the check passed although the evaluator has the defect {defect}");
        Assert.That(failure!.ResultState.Status, Is.EqualTo(TestStatus.Failed), failure.Message);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Check_CorrectEvaluator_Passes(EvaluatorDefects defect, Func<ToyEvaluatorConformanceTests, Task> check)
    {
        _ = defect;
        var failure = await RunCheck(new ToyEvaluatorConformanceTests(), check);
        Assert.That(failure?.Message, Is.Null);
    }

    [Test]
    public void Defects_EveryDefectIsCovered()
    {
        var covered = s_cases.Select(c => c.Defect).ToHashSet();
        Assert.That(Enum.GetValues<EvaluatorDefects>().Where(d => d != EvaluatorDefects.None), Is.SubsetOf(covered));
    }

    /// <summary>Runs one conformance check and returns the NUnit failure it raised (null when it passed).</summary>
    private static async Task<ResultStateException?> RunCheck(ToyEvaluatorConformanceTests fixture, Func<ToyEvaluatorConformanceTests, Task> check)
    {
        ResultStateException? failure = null;

        // Inside Throws.Nothing the check runs in an isolated NUnit context, so its failed assertions do not fail this test (see
        // SearchSpaceConformanceTestsTests); any other exception still fails it.
        await Assert.ThatAsync(
            async () =>
            {
                try
                {
                    await check(fixture);
                }
                catch (ResultStateException e)
                {
                    failure = e;
                }
            },
            Throws.Nothing);
        return failure;
    }
}
