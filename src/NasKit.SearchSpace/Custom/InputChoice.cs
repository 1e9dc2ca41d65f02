using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NasKit.SearchSpace.Custom.Internal;

namespace NasKit.SearchSpace.Custom;

/// <summary>
/// Represents the choice of <see cref="Chosen"/> of <see cref="Candidates"/> inputs (NNI's <c>InputChoice</c>); the value is the sorted set
/// of chosen indices, written as ascending comma-separated numbers (<c>0,2</c>).
/// </summary>
/// <remarks>The subsets are numbered in lexicographic order; the default (index 0) is <c>{0, …, Chosen - 1}</c>.</remarks>
public sealed class InputChoice : Choice<ImmutableSortedSet<int>>
{
    private readonly int _count;

    /// <summary>Initializes a new instance of the <see cref="InputChoice"/> class.</summary>
    /// <param name="label">The label.</param>
    /// <param name="candidates">The number of candidate inputs; at least 1.</param>
    /// <param name="chosen">How many are chosen; between 1 and <paramref name="candidates"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The counts break a rule; the message gives the values.</exception>
    public InputChoice(string label, int candidates, int chosen)
        : base(label)
    {
        if (candidates < 1 || candidates > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(candidates), candidates, $"Input choice '{label}': '1 <= candidates <= 64' must hold, but got candidates={candidates}.");
        }

        if (chosen < 1 || chosen > candidates)
        {
            throw new ArgumentOutOfRangeException(nameof(chosen), chosen, $"Input choice '{label}': '1 <= chosen <= candidates' must hold, but got chosen={chosen}, candidates={candidates}.");
        }

        var count = Subsets.Binomial(candidates, chosen);
        if (count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(chosen), chosen, $"Input choice '{label}' may have at most {MaxCount} subsets, but {chosen} of {candidates} gives {count}.");
        }

        Candidates = candidates;
        Chosen = chosen;
        _count = (int)count;
    }

    /// <summary>Gets the number of candidate inputs.</summary>
    public int Candidates { get; }

    /// <summary>Gets how many inputs are chosen.</summary>
    public int Chosen { get; }

    /// <inheritdoc/>
    public override int? Count => _count;

    /// <inheritdoc/>
    internal override string Description => string.Create(
        CultureInfo.InvariantCulture, $"{Chosen} distinct ascending indices in [0, {Candidates - 1}] separated by ','");

    /// <inheritdoc/>
    internal override string Signature => string.Create(CultureInfo.InvariantCulture, $"inputs({Candidates},{Chosen})");

    /// <inheritdoc/>
    internal override ImmutableSortedSet<int> Decode(double code) => [.. Subsets.Unrank(Candidates, Chosen, (long)code)];

    /// <inheritdoc/>
    internal override string Format(double code) =>
        string.Join(",", Subsets.Unrank(Candidates, Chosen, (long)code).Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    internal override bool TryParse(string text, out double code, [NotNullWhen(false)] out string? reason)
    {
        code = 0;
        reason = $"'{Label}' must be {Description}, but got '{text}'";
        var parts = text.Split(',');
        if (parts.Length != Chosen)
        {
            return false;
        }

        var indices = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out indices[i])
                || indices[i] >= Candidates
                || (i > 0 && indices[i] <= indices[i - 1]))
            {
                return false;
            }
        }

        code = Subsets.Rank(Candidates, indices);
        reason = null;
        return true;
    }
}
