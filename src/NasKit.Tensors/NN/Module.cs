using System.Globalization;
using System.Reflection;
using System.Text;
using NasKit.Tensors.Internal;

namespace NasKit.Tensors.NN;

/// <summary>
/// Represents a neural-network building block that owns parameters, buffers and child modules (PyTorch's <c>nn.Module</c>).
/// </summary>
/// <remarks>
/// <para>Derive from <see cref="Module{TInput, TOutput}"/> to define a layer: register parameters, buffers and children in the
/// constructor with <see cref="RegisterParameter"/>, <see cref="RegisterBuffer{T}"/> and <see cref="RegisterModule{T}"/>, keep them
/// in fields, and implement <c>Forward</c>. Names must be unique within a module and must not contain '.'.</para>
/// <para>A module owns its parameters and buffers: <see cref="Dispose()"/> releases them. Modules are not thread-safe.</para>
/// </remarks>
public abstract class Module : IDisposable
{
    private OrderedDictionary<string, Parameter?> _parameters = new(StringComparer.Ordinal);
    private OrderedDictionary<string, Buffer> _buffers = new(StringComparer.Ordinal);
    private OrderedDictionary<string, Module?> _modules = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Gets whether the module is in training mode (the default) rather than evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Gets the text PyTorch shows inside the parentheses of this module's representation (e.g. <c>1, 32, kernel_size=(3, 3)</c>).</summary>
    protected virtual string ExtraRepresentation => string.Empty;

    /// <summary>Enumerates parameters with dotted names (<c>"features.0.weight"</c>), children after the module's own.</summary>
    /// <param name="recurse">Whether to include the parameters of descendants.</param>
    /// <returns>The named parameters.</returns>
    public IEnumerable<KeyValuePair<string, Parameter>> NamedParameters(bool recurse = true)
    {
        foreach (var (prefix, module) in Walk(recurse))
        {
            foreach (var (name, p) in module._parameters)
            {
                if (p is not null)
                {
                    yield return new(prefix + name, p);
                }
            }
        }
    }

    /// <summary>Enumerates parameters.</summary>
    /// <param name="recurse">Whether to include the parameters of descendants.</param>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> Parameters(bool recurse = true) => NamedParameters(recurse).Select(kv => kv.Value);

    /// <summary>Enumerates buffers (such as batch-norm running statistics) with dotted names.</summary>
    /// <param name="recurse">Whether to include the buffers of descendants.</param>
    /// <returns>The named buffers.</returns>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(bool recurse = true)
    {
        foreach (var (prefix, module) in Walk(recurse))
        {
            foreach (var (name, b) in module._buffers)
            {
                if (b.Tensor is not null)
                {
                    yield return new(prefix + name, b.Tensor);
                }
            }
        }
    }

    /// <summary>Enumerates buffers.</summary>
    /// <param name="recurse">Whether to include the buffers of descendants.</param>
    /// <returns>The buffers.</returns>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse).Select(kv => kv.Value);

    /// <summary>Enumerates the direct children with their names.</summary>
    /// <returns>The named children.</returns>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren()
    {
        foreach (var (name, m) in _modules)
        {
            if (m is not null)
            {
                yield return new(name, m);
            }
        }
    }

    /// <summary>Enumerates the direct children.</summary>
    /// <returns>The children.</returns>
    public IEnumerable<Module> Children() => NamedChildren().Select(kv => kv.Value);

    /// <summary>Enumerates this module (named "") and every descendant with its dotted path, depth first.</summary>
    /// <returns>The named modules.</returns>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules()
    {
        foreach (var (prefix, module) in Walk(recurse: true))
        {
            yield return new(prefix.Length == 0 ? string.Empty : prefix[..^1], module);
        }
    }

    /// <summary>Enumerates this module and every descendant.</summary>
    /// <returns>The modules.</returns>
    public IEnumerable<Module> Modules() => NamedModules().Select(kv => kv.Value);

    /// <summary>Sets training mode (or evaluation mode) on this module and every descendant.</summary>
    /// <param name="mode">True for training, false for evaluation.</param>
    /// <returns>This module.</returns>
    public Module Train(bool mode = true)
    {
        foreach (var m in Modules())
        {
            m.IsTraining = mode;
        }

        return this;
    }

    /// <summary>Sets evaluation mode: dropout off, batch norm on running statistics.</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    /// <summary>Clears the gradients of every parameter.</summary>
    /// <param name="setToNone">Whether to drop the gradient tensors (returning their memory) instead of filling them with zeros.</param>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (p.Grad is null)
            {
                continue;
            }

            if (setToNone)
            {
                p.Grad.Dispose();
                p.Grad = null;
            }
            else
            {
                p.Grad.ZeroInPlace();
            }
        }
    }

    /// <summary>Counts parameter elements.</summary>
    /// <param name="trainableOnly">Whether to count only parameters that require a gradient.</param>
    /// <returns>The number of scalar parameters.</returns>
    public long ParameterCount(bool trainableOnly = false) =>
        Parameters().Where(p => !trainableOnly || p.RequiresGrad).Sum(p => (long)p.NumberOfElements);

    /// <summary>Calls <paramref name="action"/> on every descendant and then on this module (PyTorch's <c>apply</c>).</summary>
    /// <param name="action">The action.</param>
    /// <returns>This module.</returns>
    public Module Apply(Action<Module> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        foreach (var child in Children())
        {
            child.Apply(action);
        }

        action(this);
        return this;
    }

    /// <summary>
    /// Gets the state dict: every parameter and persistent buffer under its dotted name, in registration order. The values are
    /// detached views sharing the module's storage, as in PyTorch; dispose them (or let their scope do it) when done.
    /// </summary>
    /// <returns>The state dict.</returns>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (prefix, module) in Walk(recurse: true))
        {
            foreach (var (name, p) in module._parameters)
            {
                if (p is not null)
                {
                    result.Add(prefix + name, p.Detach());
                }
            }

            foreach (var (name, b) in module._buffers)
            {
                if (b.Tensor is not null && b.Persistent)
                {
                    result.Add(prefix + name, b.Tensor.Detach());
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Copies values from a state dict into this module's parameters and persistent buffers. Every shape is checked before any
    /// value is copied, so a failed load leaves the module unchanged.
    /// </summary>
    /// <param name="stateDict">The values by dotted name.</param>
    /// <param name="strict">Whether missing or unexpected keys are an error.</param>
    /// <returns>The keys that did not line up (empty when strict).</returns>
    /// <exception cref="InvalidOperationException">A shape differs, or keys do not line up while <paramref name="strict"/>.</exception>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var targets = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (prefix, module) in Walk(recurse: true))
        {
            foreach (var (name, p) in module._parameters)
            {
                if (p is not null)
                {
                    targets.Add(prefix + name, p);
                }
            }

            foreach (var (name, b) in module._buffers)
            {
                if (b.Tensor is not null && b.Persistent)
                {
                    targets.Add(prefix + name, b.Tensor);
                }
            }
        }

        var missing = targets.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !targets.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var errors = new List<string>();
        foreach (var (key, target) in targets)
        {
            if (stateDict.TryGetValue(key, out var source) && !source.ShapeSpan.SequenceEqual(target.ShapeSpan))
            {
                errors.Add($"'{key}': the state dict has shape {ThrowHelper.FormatShape(source.ShapeSpan)} but the module expects {ThrowHelper.FormatShape(target.ShapeSpan)}");
            }
        }

        if (strict)
        {
            if (missing.Count > 0)
            {
                errors.Add("missing keys: " + string.Join(", ", missing.Select(k => $"'{k}'")));
            }

            if (unexpected.Count > 0)
            {
                errors.Add("unexpected keys: " + string.Join(", ", unexpected.Select(k => $"'{k}'")));
            }
        }

        if (errors.Count > 0)
        {
            ThrowHelper.ThrowInvalidOperation($"Cannot load the state dict into {GetType().Name}; nothing was changed: " + string.Join("; ", errors) + ".");
        }

        using (Autograd.NoGrad())
        {
            foreach (var (key, target) in targets)
            {
                if (stateDict.TryGetValue(key, out var source))
                {
                    target.CopyFrom(source);
                }
            }
        }

        return new LoadStateDictResult(missing, unexpected);
    }

    /// <summary>
    /// Creates a deep copy: new parameters and buffers with copied values (gradients and hooks are not copied) and copies of
    /// every child. Fields of the copy that referred to this module's parameters, buffers or children (directly, or in arrays and
    /// lists) are redirected to the copies; other reference fields are shared.
    /// </summary>
    /// <returns>The copy.</returns>
    public Module Clone() => CloneInto(new Dictionary<object, object>(ReferenceEqualityComparer.Instance));

    /// <summary>Returns a table of every module with its type and parameter count, and the totals.</summary>
    /// <returns>The summary text.</returns>
    public string Summary()
    {
        var rows = NamedModules().Select(kv => (Name: kv.Key.Length == 0 ? "(root)" : kv.Key, Type: kv.Value.GetType().Name, Params: kv.Value.Parameters(recurse: false).Sum(p => (long)p.NumberOfElements))).ToList();
        var nameWidth = Math.Max(6, rows.Max(r => r.Name.Length));
        var typeWidth = Math.Max(4, rows.Max(r => r.Type.Length));
        var sb = new StringBuilder();
        sb.Append("Module".PadRight(nameWidth)).Append("  ").Append("Type".PadRight(typeWidth)).Append("  ").AppendLine("Parameters");
        sb.Append(new string('-', nameWidth + typeWidth + 16)).AppendLine();
        foreach (var (name, type, count) in rows)
        {
            sb.Append(name.PadRight(nameWidth)).Append("  ").Append(type.PadRight(typeWidth)).Append("  ").AppendLine(count.ToString("N0", CultureInfo.InvariantCulture));
        }

        sb.Append(new string('-', nameWidth + typeWidth + 16)).AppendLine();
        sb.Append("Total parameters: ").AppendLine(ParameterCount().ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("Trainable parameters: ").AppendLine(ParameterCount(trainableOnly: true).ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("Buffers: ").Append(Buffers().Sum(b => (long)b.NumberOfElements).ToString("N0", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Returns the PyTorch-style representation, e.g. <c>Sequential(\n  (0): Conv2d(1, 32, kernel_size=(3, 3), ...)\n)</c>.</summary>
    /// <returns>The representation.</returns>
    public override string ToString()
    {
        var children = NamedChildren().ToList();
        if (children.Count == 0)
        {
            return $"{GetType().Name}({ExtraRepresentation})";
        }

        var sb = new StringBuilder();
        sb.Append(GetType().Name).Append('(');
        if (ExtraRepresentation.Length > 0)
        {
            sb.Append('\n').Append("  ").Append(ExtraRepresentation);
        }

        foreach (var (name, child) in children)
        {
            var text = child.ToString().Replace("\n", "\n  ", StringComparison.Ordinal);
            sb.Append('\n').Append("  (").Append(name).Append("): ").Append(text);
        }

        return sb.Append("\n)").ToString();
    }

    /// <summary>Releases the parameters and buffers of this module and its descendants.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        foreach (var p in _parameters.Values)
        {
            p?.Grad?.Dispose();
            p?.Dispose();
        }

        foreach (var b in _buffers.Values)
        {
            b.Tensor?.Dispose();
        }

        foreach (var m in _modules.Values)
        {
            m?.Dispose();
        }
    }

    /// <summary>Registers a parameter (null allowed, e.g. for a disabled bias) under <paramref name="name"/>.</summary>
    /// <param name="name">The name; unique in this module and free of '.'.</param>
    /// <param name="parameter">The parameter.</param>
    /// <returns>The parameter, for assignment to a field.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(parameter))]
    protected Parameter? RegisterParameter(string name, Parameter? parameter)
    {
        CheckName(name);
        _parameters.Add(name, parameter);
        return parameter;
    }

    /// <summary>Registers a buffer: state that is saved in the state dict (when persistent) but not trained.</summary>
    /// <typeparam name="T">The tensor type (nullable allowed).</typeparam>
    /// <param name="name">The name; unique in this module and free of '.'.</param>
    /// <param name="buffer">The buffer; the module takes ownership of it.</param>
    /// <param name="persistent">Whether the buffer is part of the state dict.</param>
    /// <returns>The buffer, for assignment to a field.</returns>
    protected T RegisterBuffer<T>(string name, T buffer, bool persistent = true)
        where T : Tensor?
    {
        CheckName(name);
        if (buffer is not null)
        {
            TensorScope.Release(buffer);
        }

        _buffers.Add(name, new Buffer(buffer, persistent));
        return buffer;
    }

    /// <summary>Registers a child module.</summary>
    /// <typeparam name="T">The module type (nullable allowed).</typeparam>
    /// <param name="name">The name; unique in this module and free of '.'.</param>
    /// <param name="module">The child; this module takes ownership of it.</param>
    /// <returns>The child, for assignment to a field.</returns>
    protected T RegisterModule<T>(string name, T module)
        where T : Module?
    {
        CheckName(name);
        if (ReferenceEquals(module, this))
        {
            ThrowHelper.ThrowArgument("A module cannot be its own child.", nameof(module));
        }

        _modules.Add(name, module);
        return module;
    }

    /// <summary>Gets a registered parameter by its local name, or null.</summary>
    /// <param name="name">The local name.</param>
    /// <returns>The parameter.</returns>
    protected Parameter? GetParameter(string name) => _parameters.GetValueOrDefault(name);

    /// <summary>Gets a registered buffer by its local name, or null.</summary>
    /// <param name="name">The local name.</param>
    /// <returns>The buffer.</returns>
    protected Tensor? GetBuffer(string name) => _buffers.TryGetValue(name, out var b) ? b.Tensor : null;

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            ThrowHelper.ThrowArgument($"Member names cannot contain '.', but got '{name}'.", nameof(name));
        }

        if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name) || _modules.ContainsKey(name))
        {
            ThrowHelper.ThrowArgument($"{GetType().Name} already has a parameter, buffer or module named '{name}'.", nameof(name));
        }
    }

    private IEnumerable<(string Prefix, Module Module)> Walk(bool recurse)
    {
        var stack = new Stack<(string, Module)>();
        stack.Push((string.Empty, this));
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var (prefix, module) = stack.Pop();
            if (!seen.Add(module))
            {
                continue;
            }

            yield return (prefix, module);
            if (!recurse)
            {
                yield break;
            }

            var children = module._modules.Where(kv => kv.Value is not null).ToList();
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push((prefix + children[i].Key + ".", children[i].Value!));
            }
        }
    }

    private Module CloneInto(Dictionary<object, object> map)
    {
        var copy = (Module)MemberwiseClone();
        map[this] = copy;
        copy._disposed = false;
        copy._parameters = new OrderedDictionary<string, Parameter?>(StringComparer.Ordinal);
        foreach (var (name, p) in _parameters)
        {
            var np = p?.CloneParameter();
            if (p is not null)
            {
                map[p] = np!;
            }

            copy._parameters.Add(name, np);
        }

        copy._buffers = new OrderedDictionary<string, Buffer>(StringComparer.Ordinal);
        foreach (var (name, b) in _buffers)
        {
            Tensor? nb = null;
            if (b.Tensor is not null)
            {
                nb = b.Tensor.CopyContiguousRaw();
                TensorScope.Release(nb);
                map[b.Tensor] = nb;
            }

            copy._buffers.Add(name, new Buffer(nb, b.Persistent));
        }

        copy._modules = new OrderedDictionary<string, Module?>(StringComparer.Ordinal);
        foreach (var (name, m) in _modules)
        {
            copy._modules.Add(name, m is null ? null : map.TryGetValue(m, out var done) ? (Module)done : m.CloneInto(map));
        }

        copy.OnCloned();
        RemapFields(copy, map);
        return copy;
    }

    /// <summary>Lets a derived type reset per-instance state (such as hooks) on a fresh clone; called before field remapping.</summary>
    private protected virtual void OnCloned()
    {
    }

    private static void RemapFields(Module copy, Dictionary<object, object> map)
    {
        for (var type = copy.GetType(); type is not null && type != typeof(Module); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var value = field.GetValue(copy);
                switch (value)
                {
                    case null:
                        break;
                    case Tensor or Module when map.TryGetValue(value, out var replacement):
                        field.SetValue(copy, replacement);
                        break;
                    case Array array when array.Rank == 1 && IsComponentType(array.GetType().GetElementType()):
                        var newArray = (Array)array.Clone();
                        for (var i = 0; i < newArray.Length; i++)
                        {
                            var item = newArray.GetValue(i);
                            if (item is not null && map.TryGetValue(item, out var r))
                            {
                                newArray.SetValue(r, i);
                            }
                        }

                        field.SetValue(copy, newArray);
                        break;
                    case System.Collections.IList list when value.GetType().IsGenericType && IsComponentType(value.GetType().GetGenericArguments()[0]):
                        var newList = (System.Collections.IList)Activator.CreateInstance(value.GetType())!;
                        foreach (var item in list)
                        {
                            newList.Add(item is not null && map.TryGetValue(item, out var r) ? r : item);
                        }

                        field.SetValue(copy, newList);
                        break;
                }
            }
        }
    }

    private static bool IsComponentType(Type? t) => t is not null && (typeof(Tensor).IsAssignableFrom(t) || typeof(Module).IsAssignableFrom(t));

    private readonly record struct Buffer(Tensor? Tensor, bool Persistent);
}
