using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using NasKit.SearchSpace.Custom.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Custom;

/// <summary>
/// Represents a search space defined by code, in the spirit of NNI's model spaces: a definition function asks a
/// <see cref="ChoiceContext"/> for labelled values and returns the network built from them.
/// </summary>
/// <remarks>
/// <para>The definition is run in several modes: to explore the space (once, in the constructor), to sample, to parse and validate, to
/// find neighbours and crossovers, and to build. It must be deterministic given the values it receives.</para>
/// <para><b>Exploration and size.</b> The constructor walks the definition's decision tree depth-first, trying every value of every
/// finite choice (a continuous float only at its lower bound). When the walk ends within
/// <see cref="CustomSearchSpaceOptions.ExplorationBudget"/> runs and met no continuous choice, <see cref="Size"/> is the exact number of
/// leaves and <see cref="Enumerate"/> walks them in the same order. Otherwise (a larger tree, or a continuous choice) the space also runs
/// a closure search (from each configuration that revealed a new label, change one label to a few representative values) and
/// <see cref="CustomSearchSpaceOptions.ExplorationSamples"/> seeded random draws. Then <see cref="Size"/> is the product of the choice
/// sizes when every run met the same labels in the same order (no conditional choice was seen) and no choice is continuous, and null
/// otherwise. A label that only appears under a combination of non-default values that none of these runs tried is not found; meeting it
/// later throws <see cref="InvalidOperationException"/> (raise the budget).</para>
/// <para><b>Sampling</b> draws each label met uniformly (log-uniformly for log choices), so in conditional spaces architectures are not
/// equally likely.</para>
/// <para><b>Integer encoding</b>: one entry per label of the space, in ordinal label order (<see cref="Labels"/>): the value's index for
/// finite choices, the value itself for continuous floats. An inactive label is encoded as its default (index 0, or the lower bound).
/// <b>OneHot</b> (only when every choice is finite): one block per label in the same order, all zeros for an inactive label.</para>
/// <para><b>Neighbours</b> change one active label to another value (every other value of a finite choice; for a continuous float, the
/// value moved down and up by <see cref="CustomSearchSpaceOptions.FloatNeighborStep"/> of its range). Labels that the change switches on
/// take their default; a change that would switch off a label holding a non-default value is not a neighbour (switch that label back to
/// its default first). So a neighbour differs from the architecture in exactly one Integer-encoding entry.
/// <see cref="SearchSpace{TArchitecture}.Mutate"/> draws one of the neighbours uniformly.</para>
/// <para><b>Crossover</b> takes each label's value from a parent chosen by a fair coin (from the other parent, or the default, when the
/// chosen parent does not have the label). If the child would break "every Integer entry comes from a parent", which needs interacting
/// conditions, it redraws the coins up to 16 times and then returns the first parent.</para>
/// <para>The space is immutable and thread-safe when the definition is (it must not share mutable state between runs).</para>
/// </remarks>
/// <example>
/// <code>
/// var space = new CustomSearchSpace("tiny", [1, 28, 28], ctx =>
/// {
///     int width = ctx.Choose(Choice.Int("width", 8, 32, step: 8));
///     var blocks = ctx.Repeat(Choice.Int("depth", 1, 3), i => ctx.Choose(Choice.Layer($"block{i}.op",
///         ("conv3x3", () => new Conv2d(width, width, 3, padding: 1, generator: ctx.Generator)),
///         ("identity", () => new Identity()))));
///     return new Sequential(new Conv2d(1, width, 3, padding: 1, generator: ctx.Generator), blocks,
///         new GlobalAvgPool2d(), new Flatten(), new Linear(width, 10, generator: ctx.Generator));
/// });
/// </code>
/// The compiled sample <c>samples/NasKit.Samples.CustomSpace</c> defines a Fashion-MNIST space this way.
/// </example>
public sealed class CustomSearchSpace : SearchSpace<CustomArchitecture>
{
    private const long ExplorationSeed = 0x5EED_C057;
    private const int CrossoverAttempts = 16;

    private static readonly ArchitectureEncoding[] s_integer = [ArchitectureEncoding.Integer];
    private static readonly ArchitectureEncoding[] s_integerAndOneHot = [ArchitectureEncoding.Integer, ArchitectureEncoding.OneHot];

    private readonly Func<ChoiceContext, Module<Tensor, Tensor>> _definition;
    private readonly int[] _inputShape;
    private readonly double _floatNeighborStep;
    private readonly Dictionary<string, Choice> _registry = new(StringComparer.Ordinal);
    private readonly ImmutableArray<string> _labels;
    private readonly int[]? _oneHotOffsets;
    private readonly int _oneHotLength;
    private readonly BigInteger? _size;

    /// <summary>Initializes a new instance of the <see cref="CustomSearchSpace"/> class and explores its definition.</summary>
    /// <param name="name">The space's name, which architectures carry (for example <c>fmnist-cnn</c>).</param>
    /// <param name="inputShape">The per-sample input shape of the networks (for example <c>[1, 28, 28]</c>).</param>
    /// <param name="definition">Asks the context for values and returns the network built from them.</param>
    /// <param name="options">How to explore the definition; null uses the defaults.</param>
    /// <exception cref="ArgumentException">The name is empty, the input shape is empty or has a non-positive size, or the options are invalid.</exception>
    /// <exception cref="SearchSpaceValidationException">The definition makes no choice, meets a label twice in one run, or declares a label with two sets of values.</exception>
    public CustomSearchSpace(string name, int[] inputShape, Func<ChoiceContext, Module<Tensor, Tensor>> definition, CustomSearchSpaceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(definition);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"The input shape must have at least one dimension, all positive, but got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        }

        options ??= new CustomSearchSpaceOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid custom search space options: " + string.Join(" ", problems), nameof(options));
        }

        Name = name;
        _inputShape = [.. inputShape];
        _definition = definition;
        _floatNeighborStep = options.FloatNeighborStep;
        _size = Explore(options);
        if (_registry.Count == 0)
        {
            throw new SearchSpaceValidationException($"The {name} definition made no choice; a search space needs at least one labelled choice.");
        }

        _labels = [.. _registry.Keys.Order(StringComparer.Ordinal)];
        if (_labels.All(l => _registry[l].IsFinite))
        {
            _oneHotOffsets = new int[_labels.Length];
            for (var i = 0; i < _labels.Length; i++)
            {
                _oneHotOffsets[i] = _oneHotLength;
                _oneHotLength = checked(_oneHotLength + _registry[_labels[i]].Count!.Value);
            }
        }
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    /// <remarks>Exact when the exploration walked the whole decision tree; see the class remarks for larger and continuous spaces.</remarks>
    public override BigInteger? Size => _size;

    /// <inheritdoc/>
    public override IReadOnlyList<ArchitectureEncoding> SupportedEncodings => _oneHotOffsets is null ? s_integer : s_integerAndOneHot;

    /// <summary>Gets every label of the space, in ordinal order: the order of the Integer and OneHot encodings.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Gets the choice declared under a label.</summary>
    /// <param name="label">The label.</param>
    /// <returns>The choice (as first declared).</returns>
    /// <exception cref="KeyNotFoundException">The space has no such label.</exception>
    public Choice GetChoice(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return _registry.TryGetValue(label, out var choice)
            ? choice
            : throw new KeyNotFoundException($"The {Name} search space has no label '{label}'; its labels are {string.Join(", ", _labels)}.");
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">The space's <see cref="Size"/> is not known (continuous, or too large and conditional).</exception>
    public override IEnumerable<CustomArchitecture> Enumerate() =>
        _size is null
            ? throw new NotSupportedException($"The {Name} search space cannot be enumerated: it has a continuous choice, or its size could not be computed (see CustomSearchSpace remarks).")
            : Walk(allowNewLabels: false).Select(trace => new CustomArchitecture(this, trace));

    /// <inheritdoc/>
    protected override CustomArchitecture SampleCore(Generator generator) =>
        new(this, Run((_, choice) => choice.SampleCode(generator), allowNewLabels: false));

    /// <inheritdoc/>
    protected override IEnumerable<CustomArchitecture> NeighborsCore(CustomArchitecture architecture)
    {
        var own = Adopt(architecture);
        foreach (var (label, record) in own.Records)
        {
            foreach (var code in record.Choice.NeighborCodes(record.Code, _floatNeighborStep))
            {
                var trace = Run((l, choice) => l == label ? code : Known(own, l, choice), allowNewLabels: false);
                var active = trace.Select(r => r.Label).ToHashSet(StringComparer.Ordinal);
                if (own.Records.Values.Any(r => !active.Contains(r.Label) && r.Code != r.Choice.DefaultCode))
                {
                    continue;
                }

                yield return new CustomArchitecture(this, trace);
            }
        }
    }

    /// <inheritdoc/>
    protected override CustomArchitecture CrossoverCore(CustomArchitecture first, CustomArchitecture second, Generator generator)
    {
        var (a, b) = (Adopt(first), Adopt(second));
        var fromSecond = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < CrossoverAttempts; attempt++)
        {
            foreach (var label in _labels)
            {
                fromSecond[label] = generator.NextInt(2) == 1;
            }

            var trace = Run(
                (label, choice) =>
                {
                    var (primary, other) = fromSecond[label] ? (b, a) : (a, b);
                    return primary.Records.TryGetValue(label, out var r) ? r.Code
                        : other.Records.TryGetValue(label, out r) ? r.Code
                        : choice.DefaultCode;
                },
                allowNewLabels: false);
            var child = new CustomArchitecture(this, trace);
            if (_labels.All(l => IntegerCode(child, l) == IntegerCode(a, l) || IntegerCode(child, l) == IntegerCode(b, l)))
            {
                return child;
            }
        }

        return a;
    }

    /// <inheritdoc/>
    protected override CustomArchitecture ParseCore(string text)
    {
        if (text.Length == 0)
        {
            throw Malformed(text, 0, "expected 'label=value' entries separated by ';', but the text is empty");
        }

        var given = new Dictionary<string, (double Code, int Position)>(StringComparer.Ordinal);
        var position = 0;
        foreach (var part in text.Split(';'))
        {
            var start = position;
            position += part.Length + 1;
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw Malformed(text, start, part.Length == 0 ? "expected 'label=value', but found an empty entry" : $"expected 'label=value', but got '{part}' (no '=')");
            }

            var label = part[..equals];
            var value = part[(equals + 1)..];
            if (!TextRules.IsLabel(label))
            {
                throw Malformed(text, start, $"'{label}' is not a valid label: {TextRules.LabelRule}");
            }

            if (!_registry.TryGetValue(label, out var choice))
            {
                throw Malformed(text, start, $"unknown label '{label}'; the labels of the space are {string.Join(", ", _labels)}");
            }

            if (given.ContainsKey(label))
            {
                throw Malformed(text, start, $"the label '{label}' appears twice");
            }

            if (!choice.TryParse(value, out var code, out var reason))
            {
                throw Malformed(text, start + equals + 1, reason);
            }

            given.Add(label, (code, start));
        }

        var missing = new List<string>();
        var trace = Run(
            (label, choice) =>
            {
                if (given.TryGetValue(label, out var g))
                {
                    return g.Code;
                }

                missing.Add(label);
                return choice.DefaultCode;
            },
            allowNewLabels: false);
        var active = trace.Select(r => r.Label).ToHashSet(StringComparer.Ordinal);
        foreach (var (label, (_, at)) in given.OrderBy(g => g.Value.Position))
        {
            if (!active.Contains(label))
            {
                throw Malformed(text, at, $"the label '{label}' is not active for the other values given (the definition does not reach it), so it must be left out");
            }
        }

        if (missing.Count > 0)
        {
            throw Malformed(text, text.Length, $"the active label{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing.Select(m => "'" + m + "'"))} must be given");
        }

        return new CustomArchitecture(this, trace);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<ArchitectureValidationError> ValidateCore(CustomArchitecture architecture)
    {
        if (!string.Equals(architecture.SpaceName, Name, StringComparison.Ordinal))
        {
            return [new ArchitectureValidationError(string.Empty, $"the architecture belongs to the {architecture.SpaceName} space, not to {Name}.")];
        }

        if (ReferenceEquals(architecture.Space, this))
        {
            return [];
        }

        // An architecture of another instance with the same name: valid when its text form is valid here.
        return TryParse(architecture.ToString(), out _, out var error)
            ? []
            : [new ArchitectureValidationError(string.Create(CultureInfo.InvariantCulture, $"position {error.Position}"), error.Reason ?? error.Message)];
    }

    /// <inheritdoc/>
    protected override int GetEncodingLengthCore(ArchitectureEncoding encoding) =>
        encoding == ArchitectureEncoding.Integer ? _labels.Length : _oneHotLength;

    /// <inheritdoc/>
    protected override float[] EncodeCore(CustomArchitecture architecture, ArchitectureEncoding encoding)
    {
        var own = Adopt(architecture);
        if (encoding == ArchitectureEncoding.Integer)
        {
            return [.. _labels.Select(l => (float)IntegerCode(own, l))];
        }

        var vector = new float[_oneHotLength];
        for (var i = 0; i < _labels.Length; i++)
        {
            if (own.Records.TryGetValue(_labels[i], out var record))
            {
                vector[_oneHotOffsets![i] + (int)record.Code] = 1;
            }
        }

        return vector;
    }

    /// <inheritdoc/>
    protected override int[] GetInputShapeCore(CustomArchitecture architecture) => [.. _inputShape];

    /// <inheritdoc/>
    protected override Module<Tensor, Tensor> BuildCore(CustomArchitecture architecture, Generator generator)
    {
        var own = Adopt(architecture);
        var context = new ChoiceContext(
            Name,
            (label, _) => own.Records.TryGetValue(label, out var r)
                ? r.Code
                : throw new InvalidOperationException($"The {Name} definition met the label '{label}' while building '{own}', which does not hold it; the definition must be deterministic."),
            _registry,
            allowNewLabels: false,
            isBuilding: true,
            generator);
        return _definition(context) ?? throw new InvalidOperationException($"The {Name} definition returned no network for '{own}'.");
    }

    private static double Known(CustomArchitecture architecture, string label, Choice choice) =>
        architecture.Records.TryGetValue(label, out var r) ? r.Code : choice.DefaultCode;

    private ArchitectureFormatException Malformed(string text, int position, string reason) => new(Name, text, position, reason);

    private double IntegerCode(CustomArchitecture architecture, string label) =>
        architecture.Records.TryGetValue(label, out var r) ? r.Code : _registry[label].DefaultCode;

    private CustomArchitecture Adopt(CustomArchitecture architecture) =>
        ReferenceEquals(architecture.Space, this) ? architecture : ParseCore(architecture.ToString());

    private List<ChoiceRecord> Run(Func<string, Choice, double> decide, bool allowNewLabels)
    {
        var context = new ChoiceContext(Name, decide, _registry, allowNewLabels, isBuilding: false, new Generator(0));
        var module = _definition(context) ?? throw new InvalidOperationException($"The {Name} definition returned no network.");
        module.Dispose();
        return [.. context.Trace];
    }

    private IEnumerable<List<ChoiceRecord>> Walk(bool allowNewLabels)
    {
        var forced = new List<int>();
        while (true)
        {
            var path = new List<(int Index, int Count)>();
            var trace = Run(
                (label, choice) =>
                {
                    var k = path.Count;
                    if (choice.Count is not { } count)
                    {
                        path.Add((0, 1));
                        return choice.DefaultCode;
                    }

                    var index = k < forced.Count ? forced[k] : 0;
                    if (index >= count)
                    {
                        throw new InvalidOperationException($"The {Name} definition is not deterministic: decision {k} ('{label}') has {count} values on one run and more on another.");
                    }

                    path.Add((index, count));
                    return index;
                },
                allowNewLabels);
            yield return trace;
            var d = path.Count - 1;
            while (d >= 0 && path[d].Index == path[d].Count - 1)
            {
                d--;
            }

            if (d < 0)
            {
                yield break;
            }

            forced = [.. path.Take(d).Select(p => p.Index), path[d].Index + 1];
        }
    }

    private BigInteger? Explore(CustomSearchSpaceOptions options)
    {
        var budget = options.ExplorationBudget;
        var sequences = new HashSet<string>(StringComparer.Ordinal);
        long leaves = 0;
        var complete = false;
        using (var walk = Walk(allowNewLabels: true).GetEnumerator())
        {
            while (true)
            {
                if (!walk.MoveNext())
                {
                    complete = true;
                    break;
                }

                sequences.Add(Sequence(walk.Current));
                if (++leaves > budget)
                {
                    break;
                }
            }
        }

        var continuous = _registry.Values.Any(c => !c.IsFinite);
        if (complete && !continuous)
        {
            return leaves;
        }

        Probe(budget, options.ExplorationSamples, sequences);
        if (_registry.Values.Any(c => !c.IsFinite) || sequences.Count != 1)
        {
            return null;
        }

        return _registry.Values.Aggregate(BigInteger.One, (product, c) => product * c.Count!.Value);
    }

    private void Probe(int budget, int samples, HashSet<string> sequences)
    {
        // Closure search: from every configuration that revealed a label, change one label at a time to representative values.
        var queue = new Queue<Dictionary<string, double>>();
        queue.Enqueue(new Dictionary<string, double>(StringComparer.Ordinal));
        var runs = 0;
        while (queue.Count > 0 && runs < budget)
        {
            var config = queue.Dequeue();
            var baseTrace = Run((label, choice) => Assigned(config, label, choice), allowNewLabels: true);
            runs++;
            sequences.Add(Sequence(baseTrace));
            foreach (var record in baseTrace)
            {
                foreach (var code in record.Choice.RepresentativeCodes())
                {
                    if (code == record.Code || runs >= budget)
                    {
                        continue;
                    }

                    var next = baseTrace.ToDictionary(r => r.Label, r => r.Code, StringComparer.Ordinal);
                    next[record.Label] = code;
                    var before = _registry.Count;
                    sequences.Add(Sequence(Run((label, choice) => Assigned(next, label, choice), allowNewLabels: true)));
                    runs++;
                    if (_registry.Count > before)
                    {
                        queue.Enqueue(next);
                    }
                }
            }
        }

        var generator = new Generator(ExplorationSeed);
        for (var i = 0; i < samples; i++)
        {
            sequences.Add(Sequence(Run((_, choice) => choice.SampleCode(generator), allowNewLabels: true)));
        }
    }

    private static double Assigned(Dictionary<string, double> config, string label, Choice choice) =>
        config.TryGetValue(label, out var code) && choice.IsValidCode(code) ? code : choice.DefaultCode;

    private static string Sequence(List<ChoiceRecord> trace) => string.Join(";", trace.Select(r => r.Label));
}
