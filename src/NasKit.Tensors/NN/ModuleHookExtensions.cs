namespace NasKit.Tensors.NN;

/// <summary>Provides gradient hooks on modules whose output is a tensor.</summary>
public static class ModuleHookExtensions
{
    /// <summary>
    /// Registers a hook that receives the gradient of the module's output during backward (for each call whose output
    /// requires grad). It reads gradients; it cannot replace them.
    /// </summary>
    /// <typeparam name="TInput">The module's input type.</typeparam>
    /// <param name="module">The module.</param>
    /// <param name="hook">The hook, given the module and the output gradient.</param>
    /// <returns>A handle that removes the hook when disposed.</returns>
    public static HookHandle RegisterBackwardHook<TInput>(this Module<TInput, Tensor> module, Action<Module, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(hook);
        var removed = false;
        var forward = module.RegisterForwardHook((m, _, output) =>
        {
            if (output.RequiresGrad)
            {
                output.RegisterHook(g =>
                {
                    if (!removed)
                    {
                        hook(m, g);
                    }

                    return null;
                });
            }
        });
        return new HookHandle(() =>
        {
            removed = true;
            forward.Dispose();
        });
    }
}
