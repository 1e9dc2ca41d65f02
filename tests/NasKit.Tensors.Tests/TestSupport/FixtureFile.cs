namespace NasKit.Tensors.Tests.TestSupport;

/// <summary>A PyTorch fixture file: the generator that wrote it, the PyTorch version used as the oracle, and its cases.</summary>
public sealed class FixtureFile
{
    /// <summary>Gets the name of the script that wrote the file.</summary>
    public string Generator { get; init; } = string.Empty;

    /// <summary>Gets the PyTorch version that produced the golden values.</summary>
    public string TorchVersion { get; init; } = string.Empty;

    /// <summary>Gets the cases.</summary>
    public List<FixtureCase> Cases { get; init; } = [];
}
