using System.Globalization;

namespace NasKit.SearchSpace.Custom;

/// <summary>Configures how a <see cref="CustomSearchSpace"/> explores its definition and moves continuous choices.</summary>
public sealed class CustomSearchSpaceOptions
{
    /// <summary>The default of <see cref="ExplorationBudget"/>.</summary>
    public const int DefaultExplorationBudget = 4096;

    /// <summary>The default of <see cref="ExplorationSamples"/>.</summary>
    public const int DefaultExplorationSamples = 256;

    /// <summary>The default of <see cref="FloatNeighborStep"/>.</summary>
    public const double DefaultFloatNeighborStep = 0.05;

    internal const int MaxExplorationBudget = 10_000_000;

    /// <summary>Gets or sets the most runs of the definition spent walking its decision tree exhaustively (and, past that, on the closure search).</summary>
    /// <value>The default value is 4096; between 1 and 10,000,000.</value>
    /// <remarks>A space whose decision tree has at most this many leaves gets an exact <see cref="CustomSearchSpace.Size"/> and
    /// all its labels are found; see <see cref="CustomSearchSpace"/> for larger spaces.</remarks>
    public int ExplorationBudget { get; set; } = DefaultExplorationBudget;

    /// <summary>Gets or sets how many seeded random runs look for conditional labels when the walk cannot be exhaustive.</summary>
    /// <value>The default value is 256; zero or more.</value>
    public int ExplorationSamples { get; set; } = DefaultExplorationSamples;

    /// <summary>Gets or sets how far a continuous choice's neighbours lie, as a fraction of its range (of its logarithmic range for log choices).</summary>
    /// <value>The default value is 0.05; greater than 0 and at most 1.</value>
    public double FloatNeighborStep { get; set; } = DefaultFloatNeighborStep;

    /// <summary>Returns every rule the options break (none when they are valid).</summary>
    /// <returns>The problems, each with the rule and the actual value.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ExplorationBudget is < 1 or > MaxExplorationBudget)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"'1 <= {nameof(ExplorationBudget)} <= {MaxExplorationBudget}' must hold, but got {ExplorationBudget}."));
        }

        if (ExplorationSamples < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{nameof(ExplorationSamples)} >= 0' must hold, but got {ExplorationSamples}."));
        }

        if (!(FloatNeighborStep > 0 && FloatNeighborStep <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"'0 < {nameof(FloatNeighborStep)} <= 1' must hold, but got {FloatNeighborStep}."));
        }

        return problems;
    }
}
