namespace NasKit.Tensors.Serialization.Internal;

/// <summary>A parsed and fully validated safetensors header: entries in header order and the metadata.</summary>
internal sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> Entries, OrderedDictionary<string, string> Metadata);
