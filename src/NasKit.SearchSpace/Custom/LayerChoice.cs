using System.Collections.Immutable;
using NasKit.SearchSpace.Custom.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Custom;

/// <summary>
/// Represents a choice among named candidate layers (NNI's <c>LayerChoice</c>): the architecture records the chosen name, and
/// <see cref="ChoiceContext.Choose(LayerChoice)"/> calls only the chosen candidate's factory.
/// </summary>
public sealed class LayerChoice : Choice<string>
{
    private readonly ImmutableArray<string> _names;
    private readonly ImmutableArray<Func<Module<Tensor, Tensor>>> _factories;

    /// <summary>Initializes a new instance of the <see cref="LayerChoice"/> class.</summary>
    /// <param name="label">The label.</param>
    /// <param name="candidates">The candidates: a name (the value's text) and a factory that creates a fresh module on each call.</param>
    /// <exception cref="ArgumentException">There is no candidate, a name breaks the character rules or appears twice, or a factory is null.</exception>
    public LayerChoice(string label, IEnumerable<(string Name, Func<Module<Tensor, Tensor>> Create)> candidates)
        : base(label)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var list = candidates.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"The layer choice '{label}' needs at least one candidate, but got none.", nameof(candidates));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var (name, create) = list[i];
            if (!TextRules.IsValueText(name))
            {
                throw new ArgumentException($"Candidate {i} of the layer choice '{label}' is named '{name}': {TextRules.ValueRule}.", nameof(candidates));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"The layer choice '{label}' has two candidates named '{name}'; each needs its own name.", nameof(candidates));
            }

            if (create is null)
            {
                throw new ArgumentException($"Candidate '{name}' of the layer choice '{label}' has no factory.", nameof(candidates));
            }
        }

        _names = [.. list.Select(c => c.Name)];
        _factories = [.. list.Select(c => c.Create)];
    }

    /// <summary>Gets the candidates' names, in the order given (index 0 is the default).</summary>
    public IReadOnlyList<string> Names => _names;

    /// <inheritdoc/>
    public override int? Count => _names.Length;

    /// <inheritdoc/>
    internal override string Description => "one of " + string.Join(", ", _names);

    /// <inheritdoc/>
    internal override string Signature => "layer(" + string.Join(",", _names) + ")";

    /// <inheritdoc/>
    internal override string Decode(double code) => _names[(int)code];

    /// <inheritdoc/>
    internal override string Format(double code) => _names[(int)code];

    /// <summary>Creates the candidate of a code.</summary>
    /// <param name="code">A valid code.</param>
    /// <returns>The module.</returns>
    /// <exception cref="InvalidOperationException">The factory returned null.</exception>
    internal Module<Tensor, Tensor> Create(double code) =>
        _factories[(int)code]() ?? throw new InvalidOperationException($"The factory of candidate '{_names[(int)code]}' of the layer choice '{Label}' returned null.");
}
