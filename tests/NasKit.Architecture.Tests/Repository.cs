using System.Reflection;

namespace NasKit.Architecture.Tests;

/// <summary>Locates the repository and the shipped assemblies under test.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>Gets the shipped assemblies, keyed by name. Add each new src project here and to the csproj.</summary>
    public static IReadOnlyDictionary<string, Assembly> Shipped { get; } = new Dictionary<string, Assembly>
    {
        ["NasKit.Tensors"] = typeof(NasKit.Tensors.Tensor).Assembly,
        ["NasKit.Data"] = typeof(NasKit.Data.IDataset).Assembly,
        ["NasKit.SearchSpace"] = typeof(NasKit.SearchSpace.ISearchSpace).Assembly,
        ["NasKit.Hardware"] = typeof(NasKit.Hardware.CostCounter).Assembly,
        ["NasKit.Objectives"] = typeof(NasKit.Objectives.Objective).Assembly,
        ["NasKit.Optimizers"] = typeof(NasKit.Optimizers.Study).Assembly,
        ["NasKit.Supernet"] = typeof(NasKit.Supernet.MixedOperation).Assembly,
        ["NasKit.Storage.Sqlite"] = typeof(NasKit.Storage.Sqlite.SqliteTrialStore).Assembly,
        ["NasKit.Testing"] = typeof(NasKit.Testing.SearchSpaceConformanceTests<>).Assembly,
    };

    /// <summary>Gets the C# source files of a src project, excluding build output.</summary>
    public static IEnumerable<string> SourceFiles(string project)
    {
        var dir = Path.Combine(Root, "src", project);
        return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    public static IEnumerable<string> SourceProjects() =>
        Directory.EnumerateDirectories(Path.Combine(Root, "src")).Select(Path.GetFileName).Where(n => File.Exists(Path.Combine(Root, "src", n!, n + ".csproj")))!;
}
