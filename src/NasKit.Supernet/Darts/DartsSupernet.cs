using System.Globalization;
using NasKit.SearchSpace.Darts;
using NasKit.Supernet.Mixing;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet.Darts;

/// <summary>
/// Represents the weight-sharing supernet of the DARTS cell space (DARTS's search network): a 3×3 convolution stem to 3C channels
/// with batch norm, <see cref="DartsSupernetOptions.Layers"/> <see cref="DartsSearchCell"/>s (reduction cells at <c>Layers / 3</c> and
/// <c>2 · Layers / 3</c> halve the resolution and double the channels), global average pooling and a linear classifier. Every edge
/// mixes the eight DARTS operations with a pluggable <see cref="IMixingRule"/> from architecture logits α<sub>normal</sub> and
/// α<sub>reduce</sub> ∈ R^{14×8}, shared by all normal and all reduction cells respectively.
/// </summary>
/// <remarks>
/// <para>α (<see cref="AlphaNormal"/> and <see cref="AlphaReduce"/>, state-dict names <c>alphas_normal</c> and <c>alphas_reduce</c>) is
/// initialised as 1e-3·N(0, 1) from the generator (normal first, then reduce, then the weights) and is kept apart from the network
/// weights: train it through <see cref="ArchitectureParameters"/> and the weights through <see cref="WeightParameters"/>. The cells'
/// batch norms have no affine parameters; the stem's has.</para>
/// <para>Each forward pass mixes every row of both α matrices once (one sample per pass for the stochastic rules) and uses those
/// weights in every cell of the matching kind; operations whose weight is exactly 0 are not computed, forward or backward.
/// <see cref="LastNormalWeights"/> and <see cref="LastReduceWeights"/> keep the values of the last pass.</para>
/// <para>Child names: <c>stem</c> (<c>0</c> convolution, <c>1</c> batch norm), <c>cells.&lt;i&gt;</c>, <c>classifier</c>.</para>
/// </remarks>
public sealed class DartsSupernet : Module<Tensor, Tensor>
{
    /// <summary>The standard deviation of α's initial values (DARTS convention).</summary>
    public const float AlphaInitScale = 1e-3f;

    /// <summary>The stem's channel multiplier: the stem outputs 3C channels.</summary>
    public const int StemMultiplier = 3;

    private readonly Parameter _alphaNormal;
    private readonly Parameter _alphaReduce;
    private readonly Sequential _stem;
    private readonly ModuleList<DartsSearchCell> _cells;
    private readonly Linear _classifier;
    private IMixingRule _mixingRule;
    private float[][]? _lastNormalWeights;
    private float[][]? _lastReduceWeights;

    /// <summary>Initializes a new instance of the <see cref="DartsSupernet"/> class.</summary>
    /// <param name="options">The skeleton settings; null uses the defaults (C = 16, 8 cells, 3 input channels, 10 classes).</param>
    /// <param name="mixingRule">The rule that turns α into operation weights; null uses <see cref="SoftmaxMixing"/> (DARTS).</param>
    /// <param name="generator">The random source for α and the weights (α is drawn first); null uses a generator seeded with 0.</param>
    public DartsSupernet(DartsSupernetOptions? options = null, IMixingRule? mixingRule = null, Generator? generator = null)
    {
        Options = options ?? new DartsSupernetOptions();
        _mixingRule = mixingRule ?? new SoftmaxMixing();
        generator ??= new Generator(0);
        var operations = DartsOperations.All.Count;
        using (var normal = Tensor.Normal([DartsSearchCell.EdgeCount, operations], 0f, AlphaInitScale, generator))
        {
            _alphaNormal = RegisterParameter("alphas_normal", new Parameter(normal))!;
        }

        using (var reduce = Tensor.Normal([DartsSearchCell.EdgeCount, operations], 0f, AlphaInitScale, generator))
        {
            _alphaReduce = RegisterParameter("alphas_reduce", new Parameter(reduce))!;
        }

        var c = Options.Channels;
        var stemChannels = StemMultiplier * c;
        _stem = RegisterModule(
            "stem",
            new Sequential(
                new Conv2d(Options.InputChannels, stemChannels, 3, 1, 1, bias: false, generator: generator),
                new BatchNorm2d(stemChannels)));
        var (channelsPrevPrev, channelsPrev, channels) = (stemChannels, stemChannels, c);
        var reductionPrev = false;
        var cells = new List<DartsSearchCell>(Options.Layers);
        var reductions = new List<int>(2);
        for (var i = 0; i < Options.Layers; i++)
        {
            var reduction = i == Options.Layers / 3 || i == 2 * Options.Layers / 3;
            if (reduction)
            {
                channels *= 2;
                reductions.Add(i);
            }

            cells.Add(new DartsSearchCell(channelsPrevPrev, channelsPrev, channels, reduction, reductionPrev, generator));
            reductionPrev = reduction;
            (channelsPrevPrev, channelsPrev) = (channelsPrev, DartsGenotype.NodeCount * channels);
        }

        ReductionLayers = reductions;
        _cells = RegisterModule("cells", new ModuleList<DartsSearchCell>(cells));
        _classifier = RegisterModule("classifier", new Linear(channelsPrev, Options.Classes, generator: generator));
        OutputFeatures = channelsPrev;
    }

    /// <summary>Gets the skeleton settings.</summary>
    public DartsSupernetOptions Options { get; }

    /// <summary>Gets the architecture logits of the normal cells, shape [14, 8]: row = edge (see <see cref="DartsSearchCell.GetEdgeIndex"/>), column = <see cref="DartsOperation"/>.</summary>
    public Parameter AlphaNormal => _alphaNormal;

    /// <summary>Gets the architecture logits of the reduction cells, shape [14, 8], laid out as <see cref="AlphaNormal"/>.</summary>
    public Parameter AlphaReduce => _alphaReduce;

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

    /// <summary>Gets the cells in network order.</summary>
    public IReadOnlyList<DartsSearchCell> Cells => _cells;

    /// <summary>Gets the indices of the reduction cells.</summary>
    public IReadOnlyList<int> ReductionLayers { get; }

    /// <summary>Gets the channel count of the last cell's output, the classifier's input width.</summary>
    public int OutputFeatures { get; }

    /// <summary>Gets the normal cells' operation weights of the last forward pass, [edge][operation], or null before the first pass.</summary>
    public IReadOnlyList<IReadOnlyList<float>>? LastNormalWeights => _lastNormalWeights;

    /// <summary>Gets the reduction cells' operation weights of the last forward pass, [edge][operation], or null before the first pass.</summary>
    public IReadOnlyList<IReadOnlyList<float>>? LastReduceWeights => _lastReduceWeights;

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"C={Options.Channels}, layers={Options.Layers}, classes={Options.Classes}, mixing={_mixingRule.Name}");

    /// <summary>Returns the architecture parameters (α<sub>normal</sub>, then α<sub>reduce</sub>), for the architecture optimizer.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> ArchitectureParameters()
    {
        yield return _alphaNormal;
        yield return _alphaReduce;
    }

    /// <summary>Returns every parameter except the architecture logits, for the weight optimizer.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> WeightParameters() =>
        Parameters().Where(p => !ReferenceEquals(p, _alphaNormal) && !ReferenceEquals(p, _alphaReduce));

    /// <summary>Computes the operation weights of the 14 edges of one kind of cell with the current mixing rule (drawing a sample for stochastic rules).</summary>
    /// <param name="reduction">Whether to mix α<sub>reduce</sub> rather than α<sub>normal</sub>.</param>
    /// <returns>The weights, one per edge; the caller disposes them.</returns>
    /// <exception cref="InvalidOperationException">The mixing rule returned a weight count other than 8.</exception>
    public MixingWeights[] MixEdges(bool reduction)
    {
        var alpha = reduction ? _alphaReduce : _alphaNormal;
        var weights = new MixingWeights[DartsSearchCell.EdgeCount];
        try
        {
            for (var e = 0; e < weights.Length; e++)
            {
                using var row = alpha.Select(0, e);
                weights[e] = _mixingRule.Mix(row);
                if (weights[e].Count != DartsOperations.All.Count)
                {
                    throw new InvalidOperationException(
                        string.Create(CultureInfo.InvariantCulture, $"The mixing rule '{_mixingRule.Name}' returned {weights[e].Count} weights for edge {e}, but {DartsOperations.All.Count} are needed."));
                }
            }
        }
        catch
        {
            foreach (var w in weights)
            {
                w?.Dispose();
            }

            throw;
        }

        return weights;
    }

    /// <summary>
    /// Derives the discrete genotype by DARTS's rule: with W = softmax(α) per edge, each intermediate node keeps the two incoming
    /// edges with the largest strongest non-<c>none</c> weight, each with its strongest non-<c>none</c> operation; the cell output is
    /// the concatenation of nodes 2..5.
    /// </summary>
    /// <returns>The genotype; each node's two pairs are listed strongest first.</returns>
    /// <remarks>The softmax is used whatever the mixing rule, as DARTS does (within an edge it orders operations as α does). Ties go to the
    /// lower input and the lower operation index (a stable order).</remarks>
    public DartsGenotype DeriveGenotype() => new(DeriveCell(_alphaNormal), DeriveCell(_alphaReduce));

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != Options.InputChannels)
        {
            throw new ArgumentException($"The DARTS supernet expects an input of shape [batch, {Options.InputChannels}, H, W], but got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        var normal = MixEdges(reduction: false);
        MixingWeights[]? reduce = null;
        try
        {
            reduce = MixEdges(reduction: true);
            _lastNormalWeights = normal.Select(w => w.Values.ToArray()).ToArray();
            _lastReduceWeights = reduce.Select(w => w.Values.ToArray()).ToArray();
            var s0 = _stem.Call(input);
            var s1 = s0;
            try
            {
                foreach (var cell in _cells)
                {
                    var s = cell.Forward(s0, s1, cell.Reduction ? reduce : normal);
                    if (!ReferenceEquals(s0, s1))
                    {
                        s0.Dispose();
                    }

                    (s0, s1) = (s1, s);
                }

                using var pooled = Functional.GlobalAvgPool2d(s1);
                return _classifier.Call(pooled);
            }
            finally
            {
                if (!ReferenceEquals(s0, s1))
                {
                    s0.Dispose();
                }

                s1.Dispose();
            }
        }
        finally
        {
            foreach (var w in normal)
            {
                w.Dispose();
            }

            foreach (var w in reduce ?? [])
            {
                w.Dispose();
            }
        }
    }

    private static DartsEdge[] DeriveCell(Parameter alpha)
    {
        var k = DartsOperations.All.Count;
        var none = (int)DartsOperation.None;
        var values = alpha.ToArray();
        var weights = new double[values.Length];
        for (var e = 0; e < DartsSearchCell.EdgeCount; e++)
        {
            var max = double.NegativeInfinity;
            for (var o = 0; o < k; o++)
            {
                max = Math.Max(max, values[(e * k) + o]);
            }

            var sum = 0.0;
            for (var o = 0; o < k; o++)
            {
                weights[(e * k) + o] = Math.Exp(values[(e * k) + o] - max);
                sum += weights[(e * k) + o];
            }

            for (var o = 0; o < k; o++)
            {
                weights[(e * k) + o] /= sum;
            }
        }

        var edges = new List<DartsEdge>(DartsGenotype.EdgesPerCell);
        for (var node = 0; node < DartsGenotype.NodeCount; node++)
        {
            var candidates = new List<(int Input, DartsOperation Operation, double Strength)>(node + 2);
            for (var input = 0; input < node + 2; input++)
            {
                var row = DartsSearchCell.GetEdgeIndex(node, input) * k;
                var best = -1;
                for (var o = 0; o < k; o++)
                {
                    if (o != none && (best < 0 || weights[row + o] > weights[row + best]))
                    {
                        best = o;
                    }
                }

                candidates.Add((input, (DartsOperation)best, weights[row + best]));
            }

            // OrderByDescending is stable: equal strengths keep the lower input first, as DARTS's sorted() does.
            foreach (var (input, operation, _) in candidates.OrderByDescending(c => c.Strength).Take(2))
            {
                edges.Add(new DartsEdge(operation, input));
            }
        }

        return [.. edges];
    }
}
