using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Latency.Internal;

/// <summary>One timed unit of a network: a leaf module call, or the self-work of a module with children.</summary>
internal sealed record TracedCall(string Name, Module<Tensor, Tensor> Module, int[] InputShape, string Signature, bool IsSelfWork);
