using System.Globalization;

namespace NasKit.SearchSpace.Darts;

/// <summary>
/// Represents the hyper-parameters of the DARTS evaluation network (<see cref="DartsNetwork"/>); the defaults are those of DARTS's
/// CIFAR-10 evaluation (<c>train.py</c>): 36 initial channels, 20 cells, 32×32 RGB inputs, 10 classes.
/// </summary>
public sealed class DartsNetworkOptions
{
    /// <summary>The default initial channel count C.</summary>
    public const int DefaultChannels = 36;

    /// <summary>The default number of cells.</summary>
    public const int DefaultLayers = 20;

    /// <summary>The default number of input image channels.</summary>
    public const int DefaultInputChannels = 3;

    /// <summary>The default input height and width.</summary>
    public const int DefaultInputSize = 32;

    /// <summary>The default number of classes.</summary>
    public const int DefaultClasses = 10;

    /// <summary>The smallest spatial size the auxiliary head accepts (its 5×5 pooling with stride 3 must leave at least 2×2 for its 2×2 convolution).</summary>
    internal const int MinAuxiliarySize = 8;

    /// <summary>Gets or sets the initial channel count C: cells before the first reduction have C channels per node, then 2C, then 4C.</summary>
    /// <value>The default value is 36.</value>
    public int Channels { get; set; } = DefaultChannels;

    /// <summary>Gets or sets the number of cells; cells <c>Layers / 3</c> and <c>2 · Layers / 3</c> (integer division) are reduction cells.</summary>
    /// <value>The default value is 20.</value>
    public int Layers { get; set; } = DefaultLayers;

    /// <summary>Gets or sets the number of input image channels.</summary>
    /// <value>The default value is 3.</value>
    public int InputChannels { get; set; } = DefaultInputChannels;

    /// <summary>Gets or sets the height and width of the (square) input images.</summary>
    /// <value>The default value is 32.</value>
    public int InputSize { get; set; } = DefaultInputSize;

    /// <summary>Gets or sets the number of classes.</summary>
    /// <value>The default value is 10.</value>
    public int Classes { get; set; } = DefaultClasses;

    /// <summary>Gets or sets whether the network has DARTS's auxiliary classifier after the second reduction cell.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>The auxiliary head needs a feature map of at least 8×8 there (the input size after two halvings).</remarks>
    public bool AuxiliaryHead { get; set; }

    /// <summary>Gets or sets the initial drop-path probability applied in training to the outputs of non-identity operations.</summary>
    /// <value>The default value is 0 (no drop path).</value>
    /// <remarks>DARTS raises it linearly over training (to 0.2); <see cref="DartsNetwork.DropPathProbability"/> changes it on a built network.</remarks>
    public double DropPathProbability { get; set; }

    /// <summary>Gets the feature-map side after the reduction cells (each halves it, rounding up; one reduction only when <c>Layers == 1</c>).</summary>
    internal int ReducedSize => Layers / 3 == 2 * Layers / 3 ? (InputSize + 1) / 2 : (((InputSize + 1) / 2) + 1) / 2;

    /// <summary>Checks every property and the cross-property rules.</summary>
    /// <returns>Every problem, stated as the rule and the actual value; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(nameof(Channels), Channels, errors);
        Positive(nameof(Layers), Layers, errors);
        Positive(nameof(InputChannels), InputChannels, errors);
        Positive(nameof(InputSize), InputSize, errors);
        Positive(nameof(Classes), Classes, errors);
        if (!(DropPathProbability >= 0 && DropPathProbability < 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'0 <= DropPathProbability < 1' must hold, but got DropPathProbability={DropPathProbability}."));
        }

        if (AuxiliaryHead && InputSize > 0 && ReducedSize < MinAuxiliarySize)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"the auxiliary head needs a feature map of at least {MinAuxiliarySize}x{MinAuxiliarySize} after the reductions, but got InputSize={InputSize} and Layers={Layers}, which leave {ReducedSize}x{ReducedSize}."));
        }

        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds a problem.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(DartsNetworkOptions)}: " + string.Join(" ", errors));
        }
    }

    /// <summary>Returns a copy of the options.</summary>
    /// <returns>The copy.</returns>
    public DartsNetworkOptions Clone() => (DartsNetworkOptions)MemberwiseClone();

    private static void Positive(string name, int value, List<string> errors)
    {
        if (value <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{name} > 0' must hold, but got {name}={value}."));
        }
    }
}
