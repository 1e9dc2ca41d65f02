using System.Globalization;
using NasKit.SearchSpace.Nb201;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Nb201;

/// <summary>
/// Represents the weight-sharing supernet of the NAS-Bench-201 space: the benchmark's TinyNetwork skeleton (stem, three stages of N
/// cells with two residual blocks between them, head) in which every searched cell is an <see cref="Nb201SearchCell"/> whose edges
/// hold all five operations, mixed by a pluggable <see cref="IMixingRule"/> from architecture logits α ∈ R^{6×5} shared by all cells.
/// </summary>
/// <remarks>
/// <para>α (<see cref="Alpha"/>, state-dict name <c>arch_alpha</c>) is initialised as 1e-3·N(0, 1) from the generator and is kept apart
/// from the network weights: train it through <see cref="ArchitectureParameters"/> and the weights through
/// <see cref="WeightParameters"/>, each with its own optimizer. The searched cells' batch norms have no affine parameters.</para>
/// <para>Each forward pass mixes every edge once (one sample per pass for the stochastic rules) and uses those weights in every cell;
/// operations whose weight is exactly 0 are not computed. <see cref="LastWeights"/> keeps the values of the last pass.</para>
/// <para>State-dict names follow <see cref="Nb201Network"/>: <c>stem.conv</c>, <c>stem.bn</c>, <c>cells.&lt;k&gt;</c> (residual blocks at
/// N and 2N+1), <c>head.bn</c>, <c>classifier</c>.</para>
/// </remarks>
public sealed class Nb201Supernet : Module<Tensor, Tensor>
{
    /// <summary>The standard deviation of α's initial values (DARTS convention).</summary>
    public const float AlphaInitScale = 1e-3f;

    private readonly Sequential _stem;
    private readonly ModuleList<Module> _cells;
    private readonly Sequential _head;
    private readonly Linear _classifier;
    private readonly Parameter _alpha;
    private IMixingRule _mixingRule;
    private float[][]? _lastWeights;

    /// <summary>Initializes a new instance of the <see cref="Nb201Supernet"/> class.</summary>
    /// <param name="options">The skeleton settings (C, N, input channels and size, classes); null uses <see cref="Nb201NetworkOptions.Cifar10"/>.</param>
    /// <param name="mixingRule">The rule that turns α into operation weights; null uses <see cref="SoftmaxMixing"/> (DARTS).</param>
    /// <param name="trackRunningStats">Whether the searched cells' batch norms keep running statistics (false, as in DARTS and ZO-DARTS).</param>
    /// <param name="generator">The random source for α and the weights (α is drawn first); null uses a generator seeded with 0.</param>
    public Nb201Supernet(Nb201NetworkOptions? options = null, IMixingRule? mixingRule = null, bool trackRunningStats = false, Generator? generator = null)
    {
        Options = options ?? Nb201NetworkOptions.Cifar10;
        _mixingRule = mixingRule ?? new SoftmaxMixing();
        TrackRunningStats = trackRunningStats;
        generator ??= new Generator(0);
        using (var init = Tensor.Normal([Nb201Cell.EdgeCount, Nb201Operations.Count], 0f, AlphaInitScale, generator))
        {
            _alpha = RegisterParameter("arch_alpha", new Parameter(init))!;
        }

        var c = Options.Channels;
        _stem = RegisterModule(
            "stem",
            new Sequential(
            [
                new KeyValuePair<string, Module<Tensor, Tensor>>("conv", new Conv2d(Options.InputChannels, c, 3, padding: 1, bias: false, generator: generator)),
                new KeyValuePair<string, Module<Tensor, Tensor>>("bn", new BatchNorm2d(c)),
            ]));
        _cells = RegisterModule("cells", new ModuleList<Module>());
        var channels = c;
        for (var stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                _cells.Add(new Nb201ResidualBlock(channels, channels * 2, generator));
                channels *= 2;
            }

            for (var k = 0; k < Options.CellsPerStage; k++)
            {
                _cells.Add(new Nb201SearchCell(channels, trackRunningStats, generator));
            }
        }

        _head = RegisterModule(
            "head",
            new Sequential(
            [
                new KeyValuePair<string, Module<Tensor, Tensor>>("bn", new BatchNorm2d(channels)),
                new KeyValuePair<string, Module<Tensor, Tensor>>("relu", new ReLU()),
                new KeyValuePair<string, Module<Tensor, Tensor>>("pool", new GlobalAvgPool2d()),
            ]));
        _classifier = RegisterModule("classifier", new Linear(channels, Options.Classes, generator: generator));
    }

    /// <summary>Gets the skeleton settings.</summary>
    public Nb201NetworkOptions Options { get; }

    /// <summary>Gets whether the searched cells' batch norms keep running statistics.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>Gets the architecture logits α, shape [6, 5]: row e = edge e in <c>edge2index</c> order, column o = <see cref="Nb201Operation"/> o.</summary>
    public Parameter Alpha => _alpha;

    /// <summary>Gets or sets the rule that turns α into operation weights; it can be switched between passes.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IMixingRule MixingRule
    {
        get => _mixingRule;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _mixingRule = value;
        }
    }

    /// <summary>Gets the searched cells in network order (3N of them).</summary>
    public IEnumerable<Nb201SearchCell> SearchCells => _cells.OfType<Nb201SearchCell>();

    /// <summary>Gets the operation weights of the last forward pass, [edge][operation], or null before the first pass.</summary>
    public IReadOnlyList<IReadOnlyList<float>>? LastWeights => _lastWeights;

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"C={Options.Channels}, N={Options.CellsPerStage}, classes={Options.Classes}, mixing={_mixingRule.Name}");

    /// <summary>Returns the architecture parameters (α only), for the architecture optimizer.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> ArchitectureParameters()
    {
        yield return _alpha;
    }

    /// <summary>Returns every parameter except the architecture logits, for the weight optimizer.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> WeightParameters() => Parameters().Where(p => !ReferenceEquals(p, _alpha));

    /// <summary>Derives the discrete cell by a per-edge argmax of α over all five operations (<c>none</c> can win, NAS-Bench-201 convention); ties go to the lower operation index.</summary>
    /// <returns>The derived cell.</returns>
    public Nb201Cell DeriveCell()
    {
        var values = _alpha.ToArray();
        var k = Nb201Operations.Count;
        Span<Nb201Operation> ops = stackalloc Nb201Operation[Nb201Cell.EdgeCount];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var best = 0;
            for (var o = 1; o < k; o++)
            {
                if (values[(e * k) + o] > values[(e * k) + best])
                {
                    best = o;
                }
            }

            ops[e] = (Nb201Operation)best;
        }

        return new Nb201Cell(ops);
    }

    /// <summary>Computes the operation weights of the six edges with the current mixing rule (drawing a sample for stochastic rules).</summary>
    /// <returns>The weights, one per edge in <c>edge2index</c> order; the caller disposes them.</returns>
    public MixingWeights[] MixEdges()
    {
        var weights = new MixingWeights[Nb201Cell.EdgeCount];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            using var row = _alpha.Select(0, e);
            weights[e] = _mixingRule.Mix(row);
            if (weights[e].Count != Nb201Operations.Count)
            {
                throw new InvalidOperationException($"The mixing rule '{_mixingRule.Name}' returned {weights[e].Count} weights for edge {Nb201Cell.GetEdgeName(e)}, but {Nb201Operations.Count} are needed.");
            }
        }

        return weights;
    }

    /// <summary>
    /// Runs the supernet along one fixed path: every edge uses constant one-hot weights for the cell's operation, so only the chosen
    /// operations run (a <c>none</c> edge contributes zeros and runs nothing), with the supernet's shared weights.
    /// </summary>
    /// <param name="input">The input, [batch, InputChannels, H, W] with H and W positive multiples of 4.</param>
    /// <param name="cell">The path: the operation of each of the six edges, used by every searched cell.</param>
    /// <returns>The logits, [batch, Classes].</returns>
    /// <remarks>
    /// <para>This is how SPOS-style searches score a candidate with inherited weights without building it (see
    /// <see cref="ExtractSubnet"/> for a standalone copy). The mixing rule and α are not used: α gets no gradient, while the chosen
    /// operations' weights do when gradients are enabled, so the same call trains a sampled path. Batch norms behave as in
    /// <see cref="Module{TInput, TOutput}.Call"/> (batch statistics in training mode); <see cref="LastWeights"/> records the one-hot
    /// weights. The supernet's own hooks do not run, since this is not <see cref="Module{TInput, TOutput}.Call"/>; hooks on its
    /// sub-modules do.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The input's shape does not fit the skeleton; the message gives it.</exception>
    public Tensor ForwardPath(Tensor input, Nb201Cell cell)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(cell);
        CheckInput(input);
        var weights = new MixingWeights[Nb201Cell.EdgeCount];
        for (var e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var oneHot = new float[Nb201Operations.Count];
            oneHot[(int)cell.Operations[e]] = 1f;
            weights[e] = new MixingWeights(Tensor.FromArray(oneHot, Nb201Operations.Count));
        }

        return Run(input, weights);
    }

    /// <summary>
    /// Extracts the standalone network of one cell with inherited weights: an <see cref="Nb201Network"/> with the supernet's
    /// skeleton settings whose stem, residual blocks, head, classifier and, on every edge, the chosen operation's convolution are
    /// copies of the supernet's.
    /// </summary>
    /// <param name="cell">The cell to extract.</param>
    /// <returns>
    /// A new network that owns copies of the weights (changing one does not change the other), in the supernet's training or
    /// evaluation mode; the caller disposes it.
    /// </returns>
    /// <remarks>
    /// <para>The searched cells' batch norms have no affine parameters, so the extracted network's edge batch norms get weight 1 and
    /// bias 0, which computes the same function. Their running statistics are copied when the supernet tracks them
    /// (<see cref="TrackRunningStats"/>); otherwise they start at mean 0 and variance 1 (no batches seen), and the network should be
    /// recalibrated (<see cref="BatchNormRecalibration"/>) or run in training mode before it is evaluated. With identical
    /// statistics the network computes what <see cref="ForwardPath"/> computes for the same cell.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="cell"/> is null.</exception>
    public Nb201Network ExtractSubnet(Nb201Cell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var network = new Nb201Network(cell, Options);
        var source = StateDict();
        var target = network.StateDict();
        try
        {
            var edgePrefixes = new List<(string Target, string Source)>();
            for (var i = 0; i < _cells.Count; i++)
            {
                if (_cells[i] is not Nb201SearchCell)
                {
                    continue;
                }

                for (var e = 0; e < Nb201Cell.EdgeCount; e++)
                {
                    var prefix = string.Create(CultureInfo.InvariantCulture, $"cells.{i}.edges.{Nb201Cell.GetEdgeName(e)}.");
                    edgePrefixes.Add((prefix, string.Create(CultureInfo.InvariantCulture, $"{prefix}ops.{(int)cell.Operations[e]}.")));
                }
            }

            var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (key, own) in target)
            {
                var sourceKey = key;
                var onEdge = false;
                foreach (var (targetPrefix, sourcePrefix) in edgePrefixes)
                {
                    if (key.StartsWith(targetPrefix, StringComparison.Ordinal))
                    {
                        sourceKey = string.Concat(sourcePrefix, key.AsSpan(targetPrefix.Length));
                        onEdge = true;
                        break;
                    }
                }

                if (source.TryGetValue(sourceKey, out var value))
                {
                    values[key] = value;
                }
                else if (onEdge && key.Contains(".bn.", StringComparison.Ordinal))
                {
                    // Non-affine (and possibly untracked) search-cell batch norm: the fresh network's weight 1, bias 0 and reset
                    // running statistics are the values that compute the same function.
                    values[key] = own;
                }
                else
                {
                    throw new InvalidOperationException($"The supernet has no weight '{sourceKey}' for the network's '{key}'; the two skeletons disagree.");
                }
            }

            network.LoadStateDict(values);
            network.Train(IsTraining);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in source.Values)
            {
                t.Dispose();
            }

            foreach (var t in target.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        return Run(input, MixEdges());
    }

    private void CheckInput(Tensor input)
    {
        var shape = input.Shape;
        if (shape.Length != 4 || shape[1] != Options.InputChannels || shape[2] % 4 != 0 || shape[3] % 4 != 0 || shape[2] == 0 || shape[3] == 0)
        {
            throw new ArgumentException(
                $"The NAS-Bench-201 supernet expects input of shape [batch, {Options.InputChannels}, H, W] with H and W positive multiples of 4 (declared {Options.InputSize}x{Options.InputSize}), but got [{string.Join(", ", shape)}].",
                nameof(input));
        }
    }

    /// <summary>Runs the skeleton with the given edge weights and disposes them.</summary>
    private Tensor Run(Tensor input, MixingWeights[] weights)
    {
        try
        {
            _lastWeights = weights.Select(w => w.Values.ToArray()).ToArray();
            var x = _stem.Call(input);
            foreach (var module in _cells)
            {
                var next = module switch
                {
                    Nb201SearchCell cell => cell.Forward(x, weights),
                    Module<Tensor, Tensor> block => block.Call(x),
                    _ => throw new InvalidOperationException($"Unexpected module {module.GetType().Name} in the supernet."),
                };
                x.Dispose();
                x = next;
            }

            using (x)
            {
                using var features = _head.Call(x);
                return _classifier.Call(features);
            }
        }
        finally
        {
            foreach (var w in weights)
            {
                w.Dispose();
            }
        }
    }
}
