using System.Reflection;
using System.Text.RegularExpressions;

namespace NasKit.Architecture.Tests;

/// <summary>Structural conventions of STYLE.md (G2, G3, G14, G23, G24), checked on every shipped assembly.</summary>
public partial class ConventionTests
{
    // Public classes that are deliberately unsealed because the library derives from them.
    private static readonly HashSet<string> s_unsealedAllowList =
    [
        "NasKit.Tensors.Tensor",     // Parameter derives from it
        "NasKit.Tensors.Optim.Adam", // AdamW derives from it
    ];

    [Test]
    public void SourceFiles_FileScopedNamespace_MatchesFolder()
    {
        var problems = new List<string>();
        foreach (var project in Repository.SourceProjects())
        {
            var projectDir = Path.Combine(Repository.Root, "src", project);
            foreach (var file in Repository.SourceFiles(project))
            {
                var relativeDir = Path.GetRelativePath(projectDir, Path.GetDirectoryName(file)!);
                var expected = relativeDir == "." ? project : project + "." + relativeDir.Replace(Path.DirectorySeparatorChar, '.');
                var match = NamespaceDeclaration().Match(File.ReadAllText(file));
                if (!match.Success)
                {
                    problems.Add($"{Path.GetRelativePath(Repository.Root, file)} has no file-scoped namespace.");
                }
                else if (match.Groups["ns"].Value != expected)
                {
                    problems.Add($"{Path.GetRelativePath(Repository.Root, file)} declares {match.Groups["ns"].Value}, expected {expected}.");
                }
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void PublicTypes_InternalNamespaces_None()
    {
        var offenders = AllPublicTypes().Where(t => t.Namespace!.Split('.').Contains("Internal")).Select(t => t.FullName);
        Assert.That(offenders, Is.Empty, "types under Internal/ must not be public");
    }

    [Test]
    public void PublicTypes_Each_LivesInAFileNamedAfterIt()
    {
        var problems = new List<string>();
        foreach (var (name, assembly) in Repository.Shipped)
        {
            var files = Repository.SourceFiles(name).Select(Path.GetFileName).ToList();
            foreach (var type in assembly.GetExportedTypes().Where(t => !t.IsNested))
            {
                var simple = type.Name.Split('`')[0];
                if (!files.Any(f => f == simple + ".cs" || f!.StartsWith(simple + ".", StringComparison.Ordinal)))
                {
                    problems.Add($"{type.FullName} has no file named {simple}.cs (or {simple}.*.cs).");
                }
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void PublicClasses_NotAbstract_AreSealedUnlessAllowListed()
    {
        var offenders = AllPublicTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsSealed && !s_unsealedAllowList.Contains(t.FullName!))
            .Select(t => t.FullName);
        Assert.That(offenders, Is.Empty, "seal public classes, or add them to the allow-list with the reason");
    }

    [Test]
    public void Source_ArgumentNullChecks_UseThrowIfNull()
    {
        var offenders = AllSource().Where(f => File.ReadAllText(f).Contains("throw new ArgumentNullException", StringComparison.Ordinal));
        Assert.That(offenders.Select(f => Path.GetRelativePath(Repository.Root, f)), Is.Empty, "use ArgumentNullException.ThrowIfNull");
    }

    [Test]
    public void Source_AmbientRandomnessAndClock_NotUsed()
    {
        var offenders = AllSource()
            .Where(f => AmbientState().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Repository.Root, f));
        Assert.That(offenders, Is.Empty, "take a seed/Generator or a TimeProvider instead of Random.Shared, new Random() or DateTime.Now");
    }

    [Test]
    public void Source_DebugAssert_NotUsedForValidation()
    {
        var offenders = AllSource().Where(f => File.ReadAllText(f).Contains("Debug.Assert", StringComparison.Ordinal));
        Assert.That(offenders.Select(f => Path.GetRelativePath(Repository.Root, f)), Is.Empty, "Debug.Assert vanishes in Release; validate with exceptions");
    }

    private static IEnumerable<Type> AllPublicTypes() => Repository.Shipped.Values.SelectMany(a => a.GetExportedTypes());

    private static IEnumerable<string> AllSource() => Repository.SourceProjects().SelectMany(Repository.SourceFiles);

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"Random\.Shared|new Random\(|DateTime\.(Utc)?Now")]
    private static partial Regex AmbientState();
}
