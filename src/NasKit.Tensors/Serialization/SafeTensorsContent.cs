using System.Collections.ObjectModel;

namespace NasKit.Tensors.Serialization;

/// <summary>Represents the tensors and metadata read from a safetensors file; disposing it disposes the tensors.</summary>
/// <remarks>Dictionaries enumerate in header order. Instances are not thread-safe.</remarks>
public sealed class SafeTensorsContent : IDisposable
{
    private readonly OrderedDictionary<string, Tensor> _tensors;

    internal SafeTensorsContent(OrderedDictionary<string, Tensor> tensors, OrderedDictionary<string, SafeTensorsDType> dtypes, OrderedDictionary<string, string> metadata)
    {
        _tensors = tensors;
        Tensors = new ReadOnlyDictionary<string, Tensor>(tensors);
        SourceDTypes = new ReadOnlyDictionary<string, SafeTensorsDType>(dtypes);
        Metadata = new ReadOnlyDictionary<string, string>(metadata);
        Names = [.. tensors.Keys];
    }

    /// <summary>Gets the tensors by name, in header order, all float32.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>Gets the tensor names in header order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Gets the dtype each tensor had in the file, before conversion to float32.</summary>
    public IReadOnlyDictionary<string, SafeTensorsDType> SourceDTypes { get; }

    /// <summary>Gets the <c>"__metadata__"</c> entries, in header order; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Disposes every tensor (tensors already disposed, for example by their scope, are skipped).</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values)
        {
            t.Dispose();
        }
    }
}
