using NasKit.SearchSpace.Custom.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Custom;

/// <summary>
/// Represents one run of a <see cref="CustomSearchSpace"/>'s definition: each <c>Choose</c> call returns the value of a labelled
/// decision, taken from the architecture being built, drawn at random, or walked over while the space explores itself.
/// </summary>
/// <remarks>
/// <para>The space runs its definition many times: to discover its labels, to sample, to parse and validate, to find neighbours, and
/// (with <see cref="IsBuilding"/> true) to build a network. The definition must therefore be a deterministic function of the values
/// the context returns, and must not keep state between runs. Outside building, the module it returns is disposed at once; skip
/// expensive work with <see cref="IsBuilding"/> when it matters.</para>
/// <para>A label may be met at most once per run. A label met only after some values (inside a <see cref="Repeat"/> block, or behind an
/// <c>if</c>) is conditional: it is active in an architecture only when the definition reaches it.</para>
/// <para>An instance belongs to one run and is not thread-safe.</para>
/// </remarks>
public sealed class ChoiceContext
{
    private readonly Func<string, Choice, double> _decide;
    private readonly Dictionary<string, Choice> _registry;
    private readonly bool _allowNewLabels;
    private readonly string _spaceName;
    private readonly List<ChoiceRecord> _trace = [];
    private readonly HashSet<string> _met = new(StringComparer.Ordinal);

    internal ChoiceContext(string spaceName, Func<string, Choice, double> decide, Dictionary<string, Choice> registry, bool allowNewLabels, bool isBuilding, Generator generator)
    {
        _spaceName = spaceName;
        _decide = decide;
        _registry = registry;
        _allowNewLabels = allowNewLabels;
        IsBuilding = isBuilding;
        Generator = generator;
    }

    /// <summary>Gets a value indicating whether this run builds the network that <see cref="SearchSpace{TArchitecture}.Build"/> returns.</summary>
    public bool IsBuilding { get; }

    /// <summary>Gets the random source for weight initialisation: the one passed to <c>Build</c> when building, a fixed one otherwise.</summary>
    public Generator Generator { get; }

    /// <summary>Gets the decisions met so far, in order.</summary>
    internal IReadOnlyList<ChoiceRecord> Trace => _trace;

    /// <summary>Returns the value of a labelled decision.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="choice">The choice.</param>
    /// <returns>The value.</returns>
    /// <exception cref="SearchSpaceValidationException">The label was already met in this run, or was declared elsewhere with other values.</exception>
    public T Choose<T>(Choice<T> choice)
        where T : notnull => choice.Decode(Decide(choice));

    /// <summary>Returns a fresh module from the chosen candidate of a layer choice (only that candidate's factory is called).</summary>
    /// <param name="choice">The layer choice.</param>
    /// <returns>The chosen candidate's module.</returns>
    /// <exception cref="SearchSpaceValidationException">The label was already met in this run, or was declared elsewhere with other candidates.</exception>
    public Module<Tensor, Tensor> Choose(LayerChoice choice) => choice.Create(Decide(choice));

    /// <summary>Chooses a depth and chains that many blocks (NNI's <c>Repeat</c>); block <c>i</c> (0-based) is created by <c>block(i)</c>.</summary>
    /// <param name="depth">The choice of the number of blocks; its values must not be negative.</param>
    /// <param name="block">Creates block <c>i</c>; choices made inside it are conditional on the depth exceeding <c>i</c>.</param>
    /// <returns>The blocks in order (an empty chain passes its input through).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The chosen depth is negative.</exception>
    public Sequential Repeat(Choice<int> depth, Func<int, Module<Tensor, Tensor>> block)
    {
        ArgumentNullException.ThrowIfNull(depth);
        ArgumentNullException.ThrowIfNull(block);
        var count = Choose(depth);
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), count, $"Repeat '{depth.Label}': the depth must not be negative, but got {count}.");
        }

        var blocks = new Module<Tensor, Tensor>[count];
        for (var i = 0; i < count; i++)
        {
            blocks[i] = block(i) ?? throw new InvalidOperationException($"Repeat '{depth.Label}': block {i} is null.");
        }

        return new Sequential(blocks);
    }

    private double Decide(Choice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var label = choice.Label;
        if (!_met.Add(label))
        {
            throw new SearchSpaceValidationException(
                $"The {_spaceName} definition met the label '{label}' twice in one run; each decision needs its own label (inside a Repeat block, put the block index in the label).");
        }

        if (_registry.TryGetValue(label, out var known))
        {
            if (!string.Equals(known.Signature, choice.Signature, StringComparison.Ordinal))
            {
                throw new SearchSpaceValidationException(
                    $"The {_spaceName} definition declared the label '{label}' with two different sets of values: {known.Description}, and {choice.Description}; a label names one decision.");
            }
        }
        else if (_allowNewLabels)
        {
            _registry.Add(label, choice);
        }
        else
        {
            throw new InvalidOperationException(
                $"The {_spaceName} definition met the label '{label}', which exploring the space did not find. The definition must be a deterministic function of its choices; if it is, raise CustomSearchSpaceOptions.ExplorationBudget.");
        }

        var code = _decide(label, choice);
        _trace.Add(new ChoiceRecord(label, choice, code));
        return code;
    }
}
