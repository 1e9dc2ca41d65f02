using System.Text.Json;

namespace NasKit.Tensors.Tests.Optim;

/// <summary>Reads Optim/Fixtures/optim_fixtures.json, written by make_optim_fixtures.py with PyTorch 1.13.</summary>
internal static class OptimFixture
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Optim", "Fixtures", "optim_fixtures.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    public static JsonElement Root => s_root.Value;

    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
