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

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length != 4 || shape[1] != Options.InputChannels || shape[2] % 4 != 0 || shape[3] % 4 != 0 || shape[2] == 0 || shape[3] == 0)
        {
            throw new ArgumentException(
                $"The NAS-Bench-201 supernet expects input of shape [batch, {Options.InputChannels}, H, W] with H and W positive multiples of 4 (declared {Options.InputSize}x{Options.InputSize}), but got [{string.Join(", ", shape)}].",
                nameof(input));
        }

        var weights = MixEdges();
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
