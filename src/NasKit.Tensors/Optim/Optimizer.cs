using System.Globalization;
using NasKit.Tensors.Internal;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Optim;

/// <summary>Represents an algorithm that updates parameters from their gradients (PyTorch's <c>torch.optim.Optimizer</c>).</summary>
/// <remarks>
/// Per-parameter state (momentum buffers, moment estimates) is owned by the optimizer and lives outside any
/// <see cref="TensorScope"/>. <see cref="Step"/> runs without recording gradients. Not thread-safe.
/// </remarks>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<Parameter, Dictionary<string, Tensor>> _tensorState = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Parameter, Dictionary<string, double>> _scalarState = new(ReferenceEqualityComparer.Instance);

    /// <summary>Gets the parameter groups, typed for schedulers.</summary>
    public abstract IReadOnlyList<IParameterGroup> Groups { get; }

    /// <summary>Gets the number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Clears the gradients of every parameter of every group.</summary>
    /// <param name="setToNone">Whether to drop the gradient tensors (returning their memory) instead of zeroing them.</param>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var group in Groups)
        {
            foreach (var p in group.Parameters)
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
    }

    /// <summary>Updates every parameter that has a gradient; parameters without one are skipped.</summary>
    public void Step()
    {
        using (Autograd.NoGrad())
        {
            StepCore();
        }

        StepCount++;
    }

    /// <summary>Gets the state for checkpointing: tensors are copies, safe to keep or save.</summary>
    /// <returns>The state.</returns>
    public OptimizerState StateDict()
    {
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var scalars = new OrderedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["step_count"] = StepCount,
        };
        var index = 0;
        for (var g = 0; g < Groups.Count; g++)
        {
            scalars[Key($"param_groups.{g}.lr")] = Groups[g].LearningRate;
            foreach (var p in Groups[g].Parameters)
            {
                if (_tensorState.TryGetValue(p, out var ts))
                {
                    foreach (var (name, t) in ts)
                    {
                        tensors[Key($"state.{index}.{name}")] = t.CopyContiguousRaw();
                    }
                }

                if (_scalarState.TryGetValue(p, out var ss))
                {
                    foreach (var (name, v) in ss)
                    {
                        scalars[Key($"state.{index}.{name}")] = v;
                    }
                }

                index++;
            }
        }

        return new OptimizerState(tensors, scalars);
    }

    /// <summary>Restores a state taken by <see cref="StateDict"/> from an optimizer over the same parameter layout; everything is checked before anything changes.</summary>
    /// <param name="state">The state.</param>
    /// <exception cref="InvalidOperationException">The state does not fit this optimizer's parameters.</exception>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parameters = Groups.SelectMany(g => g.Parameters).ToList();
        var errors = new List<string>();
        var newTensors = new Dictionary<Parameter, Dictionary<string, Tensor>>(ReferenceEqualityComparer.Instance);
        var newScalars = new Dictionary<Parameter, Dictionary<string, double>>(ReferenceEqualityComparer.Instance);
        foreach (var (key, value) in state.Tensors)
        {
            if (!TryParseStateKey(key, parameters.Count, out var index, out var name))
            {
                errors.Add($"unknown tensor key '{key}'");
                continue;
            }

            var p = parameters[index];
            if (!value.ShapeSpan.SequenceEqual(p.ShapeSpan))
            {
                errors.Add($"'{key}' has shape {ThrowHelper.FormatShape(value.ShapeSpan)} but parameter {index} has shape {ThrowHelper.FormatShape(p.ShapeSpan)}");
                continue;
            }

            (newTensors.TryGetValue(p, out var d) ? d : newTensors[p] = new Dictionary<string, Tensor>(StringComparer.Ordinal))[name] = value;
        }

        var lrs = new double?[Groups.Count];
        long stepCount = 0;
        foreach (var (key, value) in state.Scalars)
        {
            if (key == "step_count")
            {
                stepCount = (long)value;
            }
            else if (key.StartsWith("param_groups.", StringComparison.Ordinal) && key.EndsWith(".lr", StringComparison.Ordinal)
                && int.TryParse(key["param_groups.".Length..^3], NumberStyles.None, CultureInfo.InvariantCulture, out var g) && g < Groups.Count)
            {
                lrs[g] = value;
            }
            else if (TryParseStateKey(key, parameters.Count, out var index, out var name))
            {
                var p = parameters[index];
                (newScalars.TryGetValue(p, out var d) ? d : newScalars[p] = new Dictionary<string, double>(StringComparer.Ordinal))[name] = value;
            }
            else
            {
                errors.Add($"unknown scalar key '{key}'");
            }
        }

        if (errors.Count > 0)
        {
            ThrowHelper.ThrowInvalidOperation($"Cannot load the optimizer state into {GetType().Name}; nothing was changed: " + string.Join("; ", errors) + ".");
        }

        ClearState();
        foreach (var (p, d) in newTensors)
        {
            foreach (var (name, t) in d)
            {
                var copy = t.CopyContiguousRaw();
                TensorScope.Release(copy);
                SetState(p, name, copy);
            }
        }

        foreach (var (p, d) in newScalars)
        {
            foreach (var (name, v) in d)
            {
                SetScalar(p, name, v);
            }
        }

        for (var g = 0; g < Groups.Count; g++)
        {
            if (lrs[g] is { } lr)
            {
                Groups[g].LearningRate = lr;
            }
        }

        StepCount = stepCount;
    }

    /// <summary>Releases the optimizer state tensors.</summary>
    public void Dispose()
    {
        ClearState();
        GC.SuppressFinalize(this);
    }

    /// <summary>Performs one update of every parameter with a gradient; runs with gradient recording off.</summary>
    protected abstract void StepCore();

    /// <summary>Gets a state tensor of a parameter, or null.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="name">The state name, e.g. <c>momentum_buffer</c>.</param>
    /// <returns>The tensor, or null.</returns>
    protected Tensor? GetState(Parameter parameter, string name) =>
        _tensorState.TryGetValue(parameter, out var d) && d.TryGetValue(name, out var t) ? t : null;

    /// <summary>Sets (and takes ownership of) a state tensor of a parameter; the tensor leaves scope management.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="name">The state name.</param>
    /// <param name="value">The tensor.</param>
    protected void SetState(Parameter parameter, string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TensorScope.Release(value);
        if (!_tensorState.TryGetValue(parameter, out var d))
        {
            d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            _tensorState[parameter] = d;
        }

        if (d.TryGetValue(name, out var old) && !ReferenceEquals(old, value))
        {
            old.Dispose();
        }

        d[name] = value;
    }

    /// <summary>Gets a scalar state value of a parameter (0 when unset).</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="name">The state name, e.g. <c>step</c>.</param>
    /// <returns>The value.</returns>
    protected double GetScalar(Parameter parameter, string name) =>
        _scalarState.TryGetValue(parameter, out var d) && d.TryGetValue(name, out var v) ? v : 0;

    /// <summary>Sets a scalar state value of a parameter.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="name">The state name.</param>
    /// <param name="value">The value.</param>
    protected void SetScalar(Parameter parameter, string name, double value)
    {
        if (!_scalarState.TryGetValue(parameter, out var d))
        {
            d = new Dictionary<string, double>(StringComparer.Ordinal);
            _scalarState[parameter] = d;
        }

        d[name] = value;
    }

    private void ClearState()
    {
        foreach (var d in _tensorState.Values)
        {
            foreach (var t in d.Values)
            {
                t.Dispose();
            }
        }

        _tensorState.Clear();
        _scalarState.Clear();
    }

    private static bool TryParseStateKey(string key, int parameterCount, out int index, out string name)
    {
        index = -1;
        name = string.Empty;
        if (!key.StartsWith("state.", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key["state.".Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out index) || index >= parameterCount)
        {
            return false;
        }

        name = rest[(dot + 1)..];
        return name.Length > 0;
    }

    private static string Key(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
