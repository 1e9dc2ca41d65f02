using NasKit.Tensors.NN;

namespace NasKit.Hardware.Internal;

/// <summary>One call of a module during a recorded forward pass.</summary>
internal sealed class ModuleCall(string name, Module module, int[] inputShape, int depth)
{
    public string Name { get; } = name;

    public Module Module { get; } = module;

    public int[] InputShape { get; } = inputShape;

    public int Depth { get; } = depth;

    public int[] OutputShape { get; set; } = [];

    public bool IsLeaf => !Module.Children().Any();
}
