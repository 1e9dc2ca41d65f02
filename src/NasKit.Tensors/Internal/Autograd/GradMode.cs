namespace NasKit.Tensors.Internal.Autograd;

/// <summary>Per-thread switch that says whether ops record the backward graph.</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static bool t_disabled;

    public static bool IsEnabled
    {
        get => !t_disabled;
        set => t_disabled = !value;
    }
}
