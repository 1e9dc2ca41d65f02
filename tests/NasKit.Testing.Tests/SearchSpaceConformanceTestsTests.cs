using NUnit.Framework.Interfaces;

namespace NasKit.Testing.Tests;

/// <summary>
/// Proves that <see cref="SearchSpaceConformanceTests{TArchitecture}"/> can fail: each check is run directly against a space with one
/// deliberate defect and must report an NUnit failure, while the same check passes on the correct space.
/// </summary>
public sealed class SearchSpaceConformanceTestsTests
{
    private static readonly (ToyDefects Defect, string Check, Action<ToySearchSpaceConformanceTests> Run)[] s_cases =
    [
        (ToyDefects.ParseDoesNotRoundTrip, "Parse_TextFormOfSample_RoundTrips", f => f.Parse_TextFormOfSample_RoundTrips()),
        (ToyDefects.SampleIgnoresSeed, "Sample_SameSeed_SameArchitectures", f => f.Sample_SameSeed_SameArchitectures()),
        (ToyDefects.SampleOutOfRange, "Sample_Always_ValidInSpace", f => f.Sample_Always_ValidInSpace()),
        (ToyDefects.NeighborsReturnsSame, "Neighbors_Sample_ValidDistinctAtDistanceOne", f => f.Neighbors_Sample_ValidDistinctAtDistanceOne()),
        (ToyDefects.NeighborsAtDistanceTwo, "Neighbors_Sample_ValidDistinctAtDistanceOne", f => f.Neighbors_Sample_ValidDistinctAtDistanceOne()),
        (ToyDefects.MutateIgnoresNeighbors, "Mutate_Sample_ReturnsANeighbor", f => f.Mutate_Sample_ReturnsANeighbor()),
        (ToyDefects.CrossoverInventsValues, "Crossover_TwoSamples_ChildValidWithParentsVariables", f => f.Crossover_TwoSamples_ChildValidWithParentsVariables()),
        (ToyDefects.EncodingLengthWrong, "Encode_EverySupportedEncoding_DeclaredLengthAndDeterministic", f => f.Encode_EverySupportedEncoding_DeclaredLengthAndDeterministic()),
        (ToyDefects.ParseErrorWithoutPosition, "Parse_MalformedText_ThrowsWithPosition", f => f.Parse_MalformedText_ThrowsWithPosition()),
        (ToyDefects.SizeOverstated, "Enumerate_FiniteSpace_CountsSizeDistinctValidArchitectures", f => f.Enumerate_FiniteSpace_CountsSizeDistinctValidArchitectures()),
        (ToyDefects.EnumerateRepeats, "Enumerate_FiniteSpace_CountsSizeDistinctValidArchitectures", f => f.Enumerate_FiniteSpace_CountsSizeDistinctValidArchitectures()),
        (ToyDefects.BuildHasUnusedParameter, "Build_Sample_ForwardAndBackwardAtDeclaredShape", f => f.Build_Sample_ForwardAndBackwardAtDeclaredShape()),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        s_cases.Select(c => new TestCaseData(c.Defect, c.Run).SetArgDisplayNames(c.Defect.ToString(), c.Check));

    [TestCaseSource(nameof(Cases))]
    public void Check_SpaceWithDefect_Fails(ToyDefects defect, Action<ToySearchSpaceConformanceTests> check)
    {
        var failure = RunCheck(new ToySearchSpaceConformanceTests(defect), check);
        Assert.That(failure, Is.Not.Null, $"the check passed although the space has the defect {defect}");
        Assert.That(failure!.ResultState.Status, Is.EqualTo(TestStatus.Failed), failure.Message);
    }

    [TestCaseSource(nameof(Cases))]
    public void Check_CorrectSpace_Passes(ToyDefects defect, Action<ToySearchSpaceConformanceTests> check)
    {
        _ = defect;
        var failure = RunCheck(new ToySearchSpaceConformanceTests(), check);
        Assert.That(failure?.Message, Is.Null);
    }

    [Test]
    public void Defects_EachCaseHasOneDefectAndEveryDefectIsCovered()
    {
        var covered = s_cases.Select(c => c.Defect).ToHashSet();
        var all = Enum.GetValues<ToyDefects>().Where(d => d != ToyDefects.None);
        Assert.That(all, Is.SubsetOf(covered));
    }

    /// <summary>Runs one conformance check and returns the NUnit failure it raised (null when it passed).</summary>
    private static ResultStateException? RunCheck(ToySearchSpaceConformanceTests fixture, Action<ToySearchSpaceConformanceTests> check)
    {
        ResultStateException? failure = null;

        // Assert.That(delegate, Throws.Nothing) runs the delegate in an isolated NUnit context, so the failed assertions of the check do not
        // fail this test (calling the check bare does: every defect case was then reported failed). Any other exception still fails it.
        Assert.That(
            () =>
            {
                try
                {
                    check(fixture);
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
