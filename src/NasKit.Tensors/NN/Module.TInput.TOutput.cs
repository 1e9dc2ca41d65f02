namespace NasKit.Tensors.NN;

/// <summary>Represents a module that maps a <typeparamref name="TInput"/> to a <typeparamref name="TOutput"/>.</summary>
/// <typeparam name="TInput">The input type (usually <see cref="Tensor"/>).</typeparam>
/// <typeparam name="TOutput">The output type (usually <see cref="Tensor"/>).</typeparam>
/// <remarks>
/// <see cref="Call"/> runs the registered pre-hooks, <see cref="Forward"/>, then the forward hooks (template method). Always invoke
/// modules through <see cref="Call"/> so that hooks, which zero-cost proxies and distillation metrics rely on, see every call.
/// </remarks>
public abstract class Module<TInput, TOutput> : Module
{
    private List<Func<Module<TInput, TOutput>, TInput, TInput>>? _preHooks;
    private List<Action<Module<TInput, TOutput>, TInput, TOutput>>? _hooks;

    /// <summary>Runs the module: pre-hooks, <see cref="Forward"/>, forward hooks.</summary>
    /// <param name="input">The input.</param>
    /// <returns>The output.</returns>
    public TOutput Call(TInput input)
    {
        if (_preHooks is not null)
        {
            foreach (var hook in _preHooks.ToArray())
            {
                input = hook(this, input);
            }
        }

        var output = Forward(input);
        if (_hooks is not null)
        {
            foreach (var hook in _hooks.ToArray())
            {
                hook(this, input, output);
            }
        }

        return output;
    }

    /// <summary>Registers a hook that runs before <see cref="Forward"/> and may replace the input.</summary>
    /// <param name="hook">The hook; returns the input to use.</param>
    /// <returns>A handle that removes the hook when disposed.</returns>
    public HookHandle RegisterForwardPreHook(Func<Module<TInput, TOutput>, TInput, TInput> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        (_preHooks ??= []).Add(hook);
        return new HookHandle(() => _preHooks?.Remove(hook));
    }

    /// <summary>Registers a hook that sees the input and output of every call (for reading activations).</summary>
    /// <param name="hook">The hook.</param>
    /// <returns>A handle that removes the hook when disposed.</returns>
    public HookHandle RegisterForwardHook(Action<Module<TInput, TOutput>, TInput, TOutput> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        (_hooks ??= []).Add(hook);
        return new HookHandle(() => _hooks?.Remove(hook));
    }

    /// <summary>Gets whether any forward or forward-pre hook is registered (fused paths that skip this module's Call check it).</summary>
    internal bool HasForwardHooks => _preHooks is { Count: > 0 } || _hooks is { Count: > 0 };

    /// <summary>Computes the output. Invoke modules through <see cref="Call"/>, not this method.</summary>
    /// <param name="input">The input.</param>
    /// <returns>The output.</returns>
    protected abstract TOutput Forward(TInput input);

    private protected override void OnCloned()
    {
        _preHooks = null;
        _hooks = null;
    }
}
