namespace NasKit.Supernet.Darts;

/// <summary>
/// Represents the skeleton settings of the DARTS search supernet (<see cref="DartsSupernet"/>): initial channels, number of cells,
/// input channels and classes. Every property is validated when it is set, so an instance is always valid.
/// </summary>
/// <remarks>The defaults are DARTS's CIFAR-10 search network: C = 16, 8 cells (reductions at cells 2 and 5), 3 input channels, 10
/// classes. Derive variants with <c>with</c>, for example <c>new DartsSupernetOptions() with { Layers = 5 }</c>.</remarks>
public sealed record DartsSupernetOptions
{
    /// <summary>The default initial channel count C of the search network.</summary>
    public const int DefaultChannels = 16;

    /// <summary>The default number of cells of the search network.</summary>
    public const int DefaultLayers = 8;

    /// <summary>The default number of input channels (RGB).</summary>
    public const int DefaultInputChannels = 3;

    /// <summary>The default number of classes (CIFAR-10).</summary>
    public const int DefaultClasses = 10;

    /// <summary>Gets the initial channel count C: the stem has 3C channels, cells before the first reduction C per node, then 2C, then 4C.</summary>
    /// <value>The default value is 16.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int Channels
    {
        get;
        init => field = Positive(value, nameof(Channels));
    } = DefaultChannels;

    /// <summary>Gets the number of cells; cells <c>Layers / 3</c> and <c>2 · Layers / 3</c> (integer division) are reduction cells.</summary>
    /// <value>The default value is 8.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int Layers
    {
        get;
        init => field = Positive(value, nameof(Layers));
    } = DefaultLayers;

    /// <summary>Gets the number of input image channels.</summary>
    /// <value>The default value is 3.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int InputChannels
    {
        get;
        init => field = Positive(value, nameof(InputChannels));
    } = DefaultInputChannels;

    /// <summary>Gets the number of classes (outputs of the final linear layer).</summary>
    /// <value>The default value is 10.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int Classes
    {
        get;
        init => field = Positive(value, nameof(Classes));
    } = DefaultClasses;

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"'{name} > 0' must hold, but got {name}={value}.");
}
