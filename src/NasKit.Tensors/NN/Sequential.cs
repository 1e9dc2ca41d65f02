using System.Collections;
using System.Globalization;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors.NN;

/// <summary>Represents a chain of tensor-to-tensor modules applied in order (PyTorch's <c>nn.Sequential</c>).</summary>
/// <remarks>
/// Children are named "0", "1", ... unless names are given. Under <see cref="Autograd.NoGrad"/>, intermediate outputs are
/// disposed as soon as the next layer has consumed them, so inference holds at most two activations at a time.
/// </remarks>
public sealed class Sequential : Module<Tensor, Tensor>, IReadOnlyList<Module<Tensor, Tensor>>
{
    private readonly List<Module<Tensor, Tensor>> _layers = [];

    /// <summary>Initializes a new instance of the <see cref="Sequential"/> class with children named by position.</summary>
    /// <param name="modules">The layers.</param>
    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules)
        {
            Append(m);
        }
    }

    /// <summary>Initializes a new instance of the <see cref="Sequential"/> class with named children.</summary>
    /// <param name="modules">The named layers, in order.</param>
    public Sequential(IEnumerable<KeyValuePair<string, Module<Tensor, Tensor>>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, m) in modules)
        {
            ArgumentNullException.ThrowIfNull(m);
            _layers.Add(RegisterModule(name, m));
        }
    }

    /// <summary>Gets the number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>Gets the layer at <paramref name="index"/>.</summary>
    /// <param name="index">The position.</param>
    /// <returns>The layer.</returns>
    public Module<Tensor, Tensor> this[int index] => _layers[index];

    /// <summary>Appends a layer named by its position.</summary>
    /// <param name="module">The layer.</param>
    /// <returns>This container.</returns>
    public Sequential Append(Module<Tensor, Tensor> module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _layers.Add(RegisterModule(_layers.Count.ToString(CultureInfo.InvariantCulture), module));
        return this;
    }

    /// <inheritdoc />
    public IEnumerator<Module<Tensor, Tensor>> GetEnumerator() => _layers.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_layers.Count == 0)
        {
            return input.Reshape(input.Shape);
        }

        var freeIntermediates = !Autograd.IsGradEnabled;
        var x = input;
        for (var i = 0; i < _layers.Count; i++)
        {
            Tensor next;
            if (i + 1 < _layers.Count && FusesWithRelu(_layers[i], _layers[i + 1]))
            {
                next = ((BatchNorm)_layers[i]).ForwardWithRelu(x);
                i++;
            }
            else
            {
                next = _layers[i].Call(x);
            }

            if (freeIntermediates && !ReferenceEquals(x, input) && !ReferenceEquals(next, x))
            {
                x.Dispose();
            }

            x = next;
        }

        return x;
    }

    // A batch norm directly followed by a ReLU runs as one operation (the ReLU applied as batch norm writes its output, its
    // gradient taken inside batch norm's backward pass): one pass over the activations less each way and one tensor less
    // kept for the backward pass. Not while hooks could observe the intermediate tensor, nor while an execution trace
    // records the separate operations for cost counting.
    private static bool FusesWithRelu(Module<Tensor, Tensor> layer, Module<Tensor, Tensor> next) =>
        layer is BatchNorm bn && next is ReLU relu && !bn.HasForwardHooks && !relu.HasForwardHooks && !BackendProvider.IsTracing;
}
