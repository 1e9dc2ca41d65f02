using System.Collections.Concurrent;
using System.Text.Json;

namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>
/// Reads the PyTorch golden fixtures under <c>NN/Fixtures/</c> (copied next to the test assembly) with System.Text.Json
/// and turns their cases into NUnit test cases.
/// </summary>
public static class FixtureLoader
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    private static readonly ConcurrentDictionary<string, FixtureFile> s_files = new(StringComparer.Ordinal);

    /// <summary>Loads (once) the fixture file <paramref name="fileName"/> from <c>NN/Fixtures</c> in the test output directory.</summary>
    public static FixtureFile Load(string fileName) => s_files.GetOrAdd(fileName, static name =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "NN", "Fixtures", name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"PyTorch fixture '{name}' was not found at '{path}'; regenerate it with NN/Fixtures/make_fixtures.py.", path);
        }

        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<FixtureFile>(stream, s_options)
            ?? throw new InvalidDataException($"PyTorch fixture '{path}' is empty.");
        if (file.Cases.Count == 0)
        {
            throw new InvalidDataException($"PyTorch fixture '{path}' has no cases.");
        }

        return file;
    });

    /// <summary>Returns the cases of <paramref name="fileName"/> whose op is one of <paramref name="ops"/>, as NUnit test cases named after the case.</summary>
    public static IEnumerable<TestCaseData> Cases(string fileName, params string[] ops)
    {
        var cases = Load(fileName).Cases.Where(c => ops.Length == 0 || ops.Contains(c.Op, StringComparer.Ordinal)).ToList();
        if (cases.Count == 0)
        {
            throw new InvalidDataException($"PyTorch fixture '{fileName}' has no case for op(s) {string.Join(", ", ops)}.");
        }

        return cases.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));
    }

    /// <summary>Returns the one case called <paramref name="name"/> in <paramref name="fileName"/>.</summary>
    public static FixtureCase Case(string fileName, string name) =>
        Load(fileName).Cases.SingleOrDefault(c => c.Name == name)
        ?? throw new InvalidDataException($"PyTorch fixture '{fileName}' has no case named '{name}'.");
}
