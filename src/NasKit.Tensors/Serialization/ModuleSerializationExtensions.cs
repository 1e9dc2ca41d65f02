using NasKit.Tensors.NN;

namespace NasKit.Tensors.Serialization;

/// <summary>Provides safetensors checkpoints for modules: <c>module.Save(path)</c> and <c>module.Load(path)</c>.</summary>
/// <remarks>Checkpoints hold the module's <see cref="Module.StateDict"/> (parameters and persistent buffers under their dotted,
/// PyTorch-compatible names), so a file saved from an equivalent <c>torch.nn</c> model loads here and vice versa. Files are
/// untrusted input; see <see cref="SafeTensors"/> for the checks applied on load.</remarks>
public static class ModuleSerializationExtensions
{
    /// <summary>Writes the module's state dict to a safetensors file atomically.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Optional string metadata stored under <c>"__metadata__"</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The module, or one of its parameters or buffers, has been disposed.</exception>
    /// <exception cref="IOException">The file cannot be written or replaced.</exception>
    public static void Save(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var state = module.StateDict();
        try
        {
            SafeTensors.Save(path, state, metadata);
        }
        finally
        {
            DisposeAll(state);
        }
    }

    /// <summary>Writes the module's state dict to <paramref name="stream"/> in the safetensors format.</summary>
    /// <param name="module">The module.</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="metadata">Optional string metadata stored under <c>"__metadata__"</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="ObjectDisposedException">The module, or one of its parameters or buffers, has been disposed.</exception>
    public static void Save(this Module module, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stream);
        var state = module.StateDict();
        try
        {
            SafeTensors.Save(stream, state, metadata);
        }
        finally
        {
            DisposeAll(state);
        }
    }

    /// <summary>Reads a safetensors file and copies it into the module with <see cref="Module.LoadStateDict"/>.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file.</param>
    /// <param name="strict">Whether missing or unexpected keys are an error.</param>
    /// <returns>The keys that did not line up (empty when strict).</returns>
    /// <remarks>The whole file is read and validated, and every key and shape is checked, before any value is copied, so a
    /// failed load leaves the module unchanged.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file.</exception>
    /// <exception cref="InvalidOperationException">A shape differs from the module's, or keys do not line up while <paramref name="strict"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static LoadStateDictResult Load(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var content = SafeTensors.Load(path);
        return module.LoadStateDict(content.Tensors, strict);
    }

    /// <summary>Reads safetensors data from <paramref name="stream"/> and copies it into the module with <see cref="Module.LoadStateDict"/>.</summary>
    /// <param name="module">The module.</param>
    /// <param name="stream">A readable stream, read from its current position to its end.</param>
    /// <param name="strict">Whether missing or unexpected keys are an error.</param>
    /// <returns>The keys that did not line up (empty when strict).</returns>
    /// <remarks>The data is read and validated, and every key and shape is checked, before any value is copied, so a failed
    /// load leaves the module unchanged.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The data is not a valid safetensors file.</exception>
    /// <exception cref="InvalidOperationException">A shape differs from the module's, or keys do not line up while <paramref name="strict"/>.</exception>
    public static LoadStateDictResult Load(this Module module, Stream stream, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stream);
        using var content = SafeTensors.Load(stream);
        return module.LoadStateDict(content.Tensors, strict);
    }

    private static void DisposeAll(OrderedDictionary<string, Tensor> state)
    {
        foreach (var t in state.Values)
        {
            t.Dispose();
        }
    }
}
