using System.Text.Json;

namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>
/// One case of a PyTorch fixture file written by <c>NN/Fixtures/make_fixtures.py</c>: the op, its hyper-parameters, its
/// inputs, PyTorch's outputs, the upstream weights w of L = Σ w·out and PyTorch's gradients of L.
/// </summary>
public sealed class FixtureCase
{
    /// <summary>Gets the unique case name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the PyTorch op or module the case exercises.</summary>
    public string Op { get; init; } = string.Empty;

    /// <summary>Gets the hyper-parameters, as written by the script.</summary>
    public Dictionary<string, JsonElement> Params { get; init; } = [];

    /// <summary>Gets the named inputs (and parameters) fed to the op.</summary>
    public Dictionary<string, FixtureTensor> Inputs { get; init; } = [];

    /// <summary>Gets PyTorch's outputs; "out" is the main one.</summary>
    public Dictionary<string, FixtureTensor> Outputs { get; init; } = [];

    /// <summary>Gets the weights of the scalar L = Σ upstream·out whose gradients are recorded, or null for forward-only cases.</summary>
    public FixtureTensor? Upstream { get; init; }

    /// <summary>Gets PyTorch's gradients of L with respect to the named inputs.</summary>
    public Dictionary<string, FixtureTensor> Grads { get; init; } = [];

    /// <summary>Gets the successive calls of a stateful module, or null.</summary>
    public List<FixtureCase>? Steps { get; init; }

    /// <summary>Gets the main output.</summary>
    public FixtureTensor Out => Outputs["out"];

    /// <summary>Returns whether the named input is present.</summary>
    public bool Has(string input) => Inputs.ContainsKey(input);

    /// <summary>Creates gradient-requiring leaf tensors for those of the named inputs that the case has.</summary>
    public Dictionary<string, Tensor> Leaves(params string[] names) =>
        names.Where(Has).ToDictionary(n => n, n => Inputs[n].ToTensor(requiresGrad: true), StringComparer.Ordinal);

    /// <summary>Returns an integer hyper-parameter.</summary>
    public int Int(string name) => Params[name].GetInt32();

    /// <summary>Returns an optional integer hyper-parameter (JSON null gives null).</summary>
    public int? OptionalInt(string name) => Params[name].ValueKind == JsonValueKind.Null ? null : Params[name].GetInt32();

    /// <summary>Returns a floating-point hyper-parameter.</summary>
    public double Double(string name) => Params[name].GetDouble();

    /// <summary>Returns an optional floating-point hyper-parameter (JSON null gives null).</summary>
    public double? OptionalDouble(string name) => Params[name].ValueKind == JsonValueKind.Null ? null : Params[name].GetDouble();

    /// <summary>Returns a Boolean hyper-parameter.</summary>
    public bool Bool(string name) => Params[name].GetBoolean();

    /// <summary>Returns a string hyper-parameter.</summary>
    public string Text(string name) => Params[name].GetString() ?? string.Empty;

    /// <summary>Returns an integer-array hyper-parameter.</summary>
    public int[] Ints(string name) => Params[name].EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>Returns a two-element integer-array hyper-parameter as an (H, W) pair.</summary>
    public (int H, int W) Pair(string name)
    {
        var v = Ints(name);
        return (v[0], v[1]);
    }

    /// <summary>Returns a nested object hyper-parameter.</summary>
    public JsonElement Object(string name) => Params[name];

    /// <inheritdoc />
    public override string ToString() => Name;
}
