using System.Collections;
using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents an indexable list of child modules whose parameters are registered (PyTorch's <c>nn.ModuleList</c>).</summary>
/// <typeparam name="TModule">The module type.</typeparam>
public sealed class ModuleList<TModule> : Module, IReadOnlyList<TModule>
    where TModule : Module
{
    private readonly List<TModule> _items = [];

    /// <summary>Initializes a new instance of the <see cref="ModuleList{TModule}"/> class.</summary>
    /// <param name="modules">The initial modules.</param>
    public ModuleList(params IEnumerable<TModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    /// <summary>Gets the number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>Gets the module at <paramref name="index"/>.</summary>
    /// <param name="index">The position.</param>
    /// <returns>The module.</returns>
    public TModule this[int index] => _items[index];

    /// <summary>Appends a module, named by its position.</summary>
    /// <param name="module">The module.</param>
    public void Add(TModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _items.Add(RegisterModule(_items.Count.ToString(CultureInfo.InvariantCulture), module));
    }

    /// <inheritdoc />
    public IEnumerator<TModule> GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
