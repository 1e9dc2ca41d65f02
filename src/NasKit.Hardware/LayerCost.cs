namespace NasKit.Hardware;

/// <summary>Describes the cost of one module call in a traced forward pass.</summary>
/// <param name="Name">The module's path in the network (for example <c>cells.3.edges.2</c>); <c>(model)</c> for the root.</param>
/// <param name="ModuleType">The module's type name.</param>
/// <param name="InputShape">The shape of the call's input, batch first.</param>
/// <param name="OutputShape">The shape of the call's output, batch first.</param>
/// <param name="Parameters">The parameter elements the module owns directly (counted at its first call only).</param>
/// <param name="Macs">The multiply-accumulates of the convolutions and matrix products the call ran itself (not in child modules).</param>
/// <param name="OtherOperations">The element operations of pooling, normalisation, activations and element-wise arithmetic the call ran itself.</param>
/// <param name="OperationsByCategory">The same operations (and the MACs) split by kernel category.</param>
/// <param name="OutputBytes">The bytes of the call's output at the counting's bytes per element.</param>
public sealed record LayerCost(
    string Name,
    string ModuleType,
    IReadOnlyList<int> InputShape,
    IReadOnlyList<int> OutputShape,
    long Parameters,
    long Macs,
    long OtherOperations,
    IReadOnlyDictionary<NasKit.Tensors.KernelCategory, long> OperationsByCategory,
    long OutputBytes);
