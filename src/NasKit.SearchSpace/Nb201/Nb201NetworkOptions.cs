using System.Diagnostics.CodeAnalysis;

namespace NasKit.SearchSpace.Nb201;

/// <summary>
/// Represents the macro skeleton settings of NAS-Bench-201's TinyNetwork: stem width, cells per stage, and the dataset's input and
/// class counts. Every property is validated when it is set, so an instance is always valid.
/// </summary>
/// <remarks>The presets <see cref="Cifar10"/>, <see cref="Cifar100"/> and <see cref="ImageNet16_120"/> are the benchmark's three datasets
/// with its C = 16, N = 5 skeleton; derive variants with <c>with</c> (for example <c>Nb201NetworkOptions.Cifar10 with { CellsPerStage = 3 }</c>).</remarks>
public sealed record Nb201NetworkOptions
{
    /// <summary>The benchmark's stem width C.</summary>
    public const int DefaultChannels = 16;

    /// <summary>The benchmark's number of cells per stage N.</summary>
    public const int DefaultCellsPerStage = 5;

    /// <summary>The default input channels (RGB).</summary>
    public const int DefaultInputChannels = 3;

    /// <summary>The default input height and width (CIFAR).</summary>
    public const int DefaultInputSize = 32;

    /// <summary>The default number of classes (CIFAR-10).</summary>
    public const int DefaultClasses = 10;

    /// <summary>The input side must be a multiple of this: each of the two residual blocks halves it, and their pooled shortcut needs an even side.</summary>
    internal const int InputSizeMultiple = 4;

    /// <summary>Gets the CIFAR-10 preset: 3×32×32 inputs, 10 classes, C = 16, N = 5.</summary>
    public static Nb201NetworkOptions Cifar10 { get; } = new();

    /// <summary>Gets the CIFAR-100 preset: 3×32×32 inputs, 100 classes, C = 16, N = 5.</summary>
    public static Nb201NetworkOptions Cifar100 { get; } = new() { Classes = 100 };

    /// <summary>Gets the ImageNet16-120 preset: 3×16×16 inputs, 120 classes, C = 16, N = 5.</summary>
    [SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "The benchmark's dataset is named ImageNet16-120.")]
    public static Nb201NetworkOptions ImageNet16_120 { get; } = new() { InputSize = 16, Classes = 120 };

    /// <summary>Gets the stem width C; the three stages have C, 2C and 4C channels.</summary>
    /// <value>The default value is 16.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int Channels
    {
        get;
        init => field = Positive(value, nameof(Channels));
    } = DefaultChannels;

    /// <summary>Gets the number of searched cells per stage N (the network has 3N cells and 2 residual blocks).</summary>
    /// <value>The default value is 5.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int CellsPerStage
    {
        get;
        init => field = Positive(value, nameof(CellsPerStage));
    } = DefaultCellsPerStage;

    /// <summary>Gets the number of input channels.</summary>
    /// <value>The default value is 3.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int InputChannels
    {
        get;
        init => field = Positive(value, nameof(InputChannels));
    } = DefaultInputChannels;

    /// <summary>Gets the input height and width (square inputs); a positive multiple of 4.</summary>
    /// <value>The default value is 32.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a positive multiple of 4.</exception>
    public int InputSize
    {
        get;
        init
        {
            if (value <= 0 || value % InputSizeMultiple != 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(InputSize),
                    value,
                    $"'{nameof(InputSize)} > 0 and {nameof(InputSize)} % {InputSizeMultiple} == 0' must hold (two stride-2 residual blocks with pooled shortcuts), but got {nameof(InputSize)}={value}.");
            }

            field = value;
        }
    } = DefaultInputSize;

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
