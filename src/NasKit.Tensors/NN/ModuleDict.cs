using System.Collections;

namespace NasKit.Tensors.NN;

/// <summary>Represents child modules addressed by name, in insertion order (PyTorch's <c>nn.ModuleDict</c>).</summary>
/// <typeparam name="TModule">The module type.</typeparam>
public sealed class ModuleDict<TModule> : Module, IReadOnlyDictionary<string, TModule>
    where TModule : Module
{
    private OrderedDictionary<string, TModule> _items = new(StringComparer.Ordinal);

    /// <summary>Gets the number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>Gets the names, in insertion order.</summary>
    public IEnumerable<string> Keys => _items.Keys;

    /// <summary>Gets the modules, in insertion order.</summary>
    public IEnumerable<TModule> Values => _items.Values;

    /// <summary>Gets the module named <paramref name="key"/>.</summary>
    /// <param name="key">The name.</param>
    /// <returns>The module.</returns>
    public TModule this[string key] => _items[key];

    /// <summary>Adds a module under <paramref name="name"/>.</summary>
    /// <param name="name">The name; unique and free of '.'.</param>
    /// <param name="module">The module.</param>
    public void Add(string name, TModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _items.Add(name, RegisterModule(name, module));
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TModule value) => _items.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, TModule>> GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Points the clone's lookup table at the clone's own children (the memberwise copy shares the original's).</summary>
    private protected override void OnCloned()
    {
        base.OnCloned();
        var items = new OrderedDictionary<string, TModule>(StringComparer.Ordinal);
        foreach (var (name, module) in NamedChildren())
        {
            items.Add(name, (TModule)module);
        }

        _items = items;
    }
}
