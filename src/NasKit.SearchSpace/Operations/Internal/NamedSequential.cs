using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Operations.Internal;

/// <summary>Builds <see cref="Sequential"/> containers with named children (parameter names such as <c>conv.weight</c> matter for slicing and loading).</summary>
internal static class NamedSequential
{
    public static Sequential Create(params ReadOnlySpan<(string Name, Module<Tensor, Tensor> Module)> layers)
    {
        var list = new List<KeyValuePair<string, Module<Tensor, Tensor>>>(layers.Length);
        foreach (var (name, module) in layers)
        {
            list.Add(new(name, module));
        }

        return new Sequential(list);
    }
}
