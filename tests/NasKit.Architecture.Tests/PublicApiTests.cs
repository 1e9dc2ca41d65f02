namespace NasKit.Architecture.Tests;

/// <summary>
/// Tracks the public surface of every shipped assembly against a committed listing (STYLE.md G18), so every API change shows
/// up in review. When a change is intended, run the tests with NASKIT_ACCEPT_API=1 (or copy the .received.txt file over the
/// approved one) and commit the new listing.
/// </summary>
public class PublicApiTests
{
    private static IEnumerable<string> Assemblies => Repository.Shipped.Keys;

    [TestCaseSource(nameof(Assemblies))]
    public void PublicApi_Assembly_MatchesApprovedListing(string assemblyName)
    {
        var actual = PublicApiListing.Render(Repository.Shipped[assemblyName]);
        var approvedPath = Path.Combine(Repository.Root, "tests", "NasKit.Architecture.Tests", "PublicApi", assemblyName + ".txt");
        var receivedPath = Path.ChangeExtension(approvedPath, ".received.txt");
        if (Environment.GetEnvironmentVariable("NASKIT_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
            File.Delete(receivedPath);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : string.Empty;
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        var approvedLines = approved.Split('\n').ToHashSet(StringComparer.Ordinal);
        var actualLines = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        var added = actual.Split('\n').Where(l => !approvedLines.Contains(l)).Take(15);
        var removed = approved.Split('\n').Where(l => !actualLines.Contains(l)).Take(15);
        Assert.Fail(
            $"The public API of {assemblyName} differs from {Path.GetRelativePath(Repository.Root, approvedPath)}.\n" +
            $"Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\n" +
            $"If the change is intended, rerun with NASKIT_ACCEPT_API=1 or copy {Path.GetFileName(receivedPath)} over the approved file.");
    }
}
