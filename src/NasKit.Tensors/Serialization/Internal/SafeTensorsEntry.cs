namespace NasKit.Tensors.Serialization.Internal;

/// <summary>One validated tensor entry of a safetensors header: offsets are relative to the start of the data region.</summary>
internal sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, int[] Shape, int ElementCount, long Begin, long End);
