using System.Text.RegularExpressions;

namespace NasKit.Architecture.Tests;

/// <summary>No layer references a layer above it (DESIGN.md, "Layers").</summary>
public partial class LayeringTests
{
    // The allowed NasKit references of every assembly, from the layer table of DESIGN.md.
    private static readonly Dictionary<string, string[]> s_allowed = new()
    {
        ["NasKit.Tensors"] = [],
        ["NasKit.Data"] = ["NasKit.Tensors"],
        ["NasKit.SearchSpace"] = ["NasKit.Tensors"],
        ["NasKit.Hardware"] = ["NasKit.SearchSpace", "NasKit.Tensors"],
        ["NasKit.Testing"] = ["NasKit.Optimizers", "NasKit.SearchSpace", "NasKit.Tensors", "NasKit.Objectives", "NasKit.Supernet", "NasKit.Hardware", "NasKit.Data"], // conformance suites: grows with the contracts it checks
        ["NasKit.Objectives"] = ["NasKit.Hardware", "NasKit.Data", "NasKit.Tensors", "NasKit.SearchSpace"],
        ["NasKit.Supernet"] = ["NasKit.SearchSpace", "NasKit.Tensors"],
        ["NasKit.Optimizers"] = ["NasKit.SearchSpace", "NasKit.Objectives", "NasKit.Supernet", "NasKit.Hardware", "NasKit.Data", "NasKit.Tensors"],
        ["NasKit.EarlyExit"] = ["NasKit.Optimizers", "NasKit.Hardware", "NasKit.Objectives", "NasKit.SearchSpace", "NasKit.Supernet", "NasKit.Data", "NasKit.Tensors"],
        ["NasKit.Storage.Sqlite"] = ["NasKit.Optimizers", "NasKit.SearchSpace", "NasKit.Objectives"],
        ["NasKit.Storage.Postgres"] = ["NasKit.Optimizers", "NasKit.SearchSpace", "NasKit.Objectives"],
        ["NasKit.Export"] = ["NasKit.Tensors"],
    };

    [Test]
    public void ProjectReferences_EverySourceProject_PointOnlyToLowerLayers()
    {
        var problems = new List<string>();
        foreach (var project in Repository.SourceProjects())
        {
            var text = File.ReadAllText(Path.Combine(Repository.Root, "src", project, project + ".csproj"));
            var references = ProjectReference().Matches(text).Select(m => m.Groups["name"].Value).ToList();
            if (!s_allowed.TryGetValue(project, out var allowed))
            {
                if (project is "NasKit" or "NasKit.Cli")
                {
                    continue; // the top-level facade and the tool may reference everything
                }

                problems.Add($"{project} is not in the layer table of LayeringTests; add it with its allowed references.");
                continue;
            }

            problems.AddRange(references.Where(r => !allowed.Contains(r)).Select(r => $"{project} references {r}, which is not below it."));
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void AssemblyReferences_ShippedAssemblies_PointOnlyToLowerLayers()
    {
        var problems = new List<string>();
        foreach (var (name, assembly) in Repository.Shipped)
        {
            var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("NasKit", StringComparison.Ordinal));
            problems.AddRange(referenced.Where(r => !s_allowed[name].Contains(r)).Select(r => $"{name} references {r}."));
        }

        Assert.That(problems, Is.Empty);
    }

    [GeneratedRegex("""ProjectReference Include="[^"]*[/\\](?<name>[^/\\"]+)\.csproj""")]
    private static partial Regex ProjectReference();
}
