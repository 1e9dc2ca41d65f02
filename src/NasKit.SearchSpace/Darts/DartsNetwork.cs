using System.Globalization;
using NasKit.SearchSpace.Darts.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Darts;

/// <summary>
/// The DARTS evaluation network (<c>NetworkCIFAR</c>) of a genotype: a 3×3 convolution stem to 3C channels with batch norm, then
/// <see cref="DartsNetworkOptions.Layers"/> cells, the cells at <c>Layers / 3</c> and <c>2 · Layers / 3</c> being reduction cells that
/// halve the resolution and double the channels, then global average pooling and a linear classifier.
/// </summary>
/// <remarks>
/// <para>Every cell preprocesses its two inputs to its channel count C<sub>cell</sub>: the output of the previous cell with a 1×1
/// ReLU-conv-BN, the output of the cell before it with a <see cref="Operations.FactorizedReduce"/> when the previous cell was a
/// reduction cell and a 1×1 ReLU-conv-BN otherwise. Each intermediate node sums its two operations (stride 2 on the edges that leave
/// the two cell inputs of a reduction cell), and the cell outputs the concatenation of its four nodes, 4·C<sub>cell</sub> channels.</para>
/// <para>In training, with a positive <see cref="DropPathProbability"/>, the output of every operation that is not an identity is
/// dropped per sample with that probability and the kept ones are scaled by 1 / (1 − p), as in DARTS; the masks come from a generator
/// derived from the one the network was built with. Evaluation mode never drops.</para>
/// <para>With <see cref="DartsNetworkOptions.AuxiliaryHead"/>, a training-mode forward also runs DARTS's auxiliary classifier on the
/// output of the second reduction cell and exposes its logits through <see cref="AuxiliaryLogits"/>; the forward's return value is
/// always the main logits.</para>
/// <para>Child names: <c>stem</c> (<c>0</c> convolution, <c>1</c> batch norm), <c>cells.i</c> (<c>preprocess0</c>,
/// <c>preprocess1</c>, <c>ops.k</c> for pair k of the genotype), <c>auxiliary_head</c>, <c>classifier</c>.</para>
/// </remarks>
public sealed class DartsNetwork : Module<Tensor, Tensor>
{
    private readonly DartsNetworkOptions _options;
    private readonly Sequential _stem;
    private readonly ModuleList<DartsEvalCell> _cells;
    private readonly DartsAuxiliaryHead? _auxiliaryHead;
    private readonly Linear _classifier;
    private readonly Generator _dropPathGenerator;
    private readonly int _auxiliaryCell;
    private double _dropPathProbability;

    /// <summary>Initializes a new instance of the <see cref="DartsNetwork"/> class.</summary>
    /// <param name="genotype">The genotype; it must be valid in the DARTS space.</param>
    /// <param name="options">The network's hyper-parameters (copied); null uses the defaults.</param>
    /// <param name="generator">The random source for weight initialisation and, after it, for the drop-path masks; null uses a generator seeded with 0.</param>
    /// <exception cref="SearchSpaceValidationException">The genotype breaks a rule of the DARTS space.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DartsNetwork(DartsGenotype genotype, DartsNetworkOptions? options = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        var errors = genotype.Validate();
        if (errors.Count > 0)
        {
            throw new SearchSpaceValidationException($"The darts architecture '{genotype}'", errors);
        }

        _options = (options ?? new DartsNetworkOptions()).Clone();
        _options.ThrowIfInvalid();
        generator ??= new Generator(0);
        Genotype = genotype;

        var c = _options.Channels;
        var layers = _options.Layers;
        var stemChannels = 3 * c;
        _stem = RegisterModule(
            "stem",
            new Sequential(
                new Conv2d(_options.InputChannels, stemChannels, 3, 1, 1, bias: false, generator: generator),
                new BatchNorm2d(stemChannels)));

        var (channelsPrevPrev, channelsPrev, channelsCurrent) = (stemChannels, stemChannels, c);
        var reductionPrev = false;
        var size = _options.InputSize;
        var auxiliaryChannels = 0;
        var auxiliarySize = 0;
        _auxiliaryCell = 2 * layers / 3;
        var cells = new List<DartsEvalCell>(layers);
        var reductions = new List<int>(2);
        for (var i = 0; i < layers; i++)
        {
            var reduction = i == layers / 3 || i == 2 * layers / 3;
            if (reduction)
            {
                channelsCurrent *= 2;
                size = (size + 1) / 2;
                reductions.Add(i);
            }

            cells.Add(new DartsEvalCell(reduction ? genotype.Reduce : genotype.Normal, channelsPrevPrev, channelsPrev, channelsCurrent, reduction, reductionPrev, generator));
            reductionPrev = reduction;
            (channelsPrevPrev, channelsPrev) = (channelsPrev, DartsGenotype.Concat.Count * channelsCurrent);
            if (i == _auxiliaryCell)
            {
                auxiliaryChannels = channelsPrev;
                auxiliarySize = size;
            }
        }

        ReductionLayers = reductions;
        _cells = RegisterModule("cells", new ModuleList<DartsEvalCell>(cells));
        if (_options.AuxiliaryHead)
        {
            _auxiliaryHead = RegisterModule("auxiliary_head", new DartsAuxiliaryHead(auxiliaryChannels, auxiliarySize, _options.Classes, generator));
        }

        _classifier = RegisterModule("classifier", new Linear(channelsPrev, _options.Classes, generator: generator));
        OutputFeatures = channelsPrev;
        _dropPathGenerator = generator.Spawn();
        _dropPathProbability = _options.DropPathProbability;
    }

    /// <summary>Gets the genotype the network was built from.</summary>
    public DartsGenotype Genotype { get; }

    /// <summary>Gets a copy of the options the network was built with.</summary>
    public DartsNetworkOptions Options => _options.Clone();

    /// <summary>Gets the indices of the reduction cells.</summary>
    public IReadOnlyList<int> ReductionLayers { get; }

    /// <summary>Gets the channel count of the last cell's output, the classifier's input width.</summary>
    public int OutputFeatures { get; }

    /// <summary>Gets whether the network has the auxiliary classifier.</summary>
    public bool HasAuxiliaryHead => _auxiliaryHead is not null;

    /// <summary>
    /// Gets the auxiliary classifier's logits from the last training-mode forward, or null when the network has no auxiliary head or
    /// the last forward ran in evaluation mode.
    /// </summary>
    /// <remarks>The tensor belongs to the caller like the main logits (it is created in the caller's <see cref="TensorScope"/>); the next forward replaces the reference without disposing it.</remarks>
    public Tensor? AuxiliaryLogits { get; private set; }

    /// <summary>Gets or sets the drop-path probability used by training-mode forwards (DARTS raises it linearly over the epochs).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in [0, 1).</exception>
    public double DropPathProbability
    {
        get => _dropPathProbability;
        set
        {
            if (!(value >= 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, string.Create(CultureInfo.InvariantCulture, $"'0 <= DropPathProbability < 1' must hold, but got {value}."));
            }

            _dropPathProbability = value;
        }
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"C={_options.Channels}, layers={_options.Layers}, classes={_options.Classes}, auxiliary={HasAuxiliaryHead}");

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != _options.InputChannels)
        {
            throw new ArgumentException($"The DARTS network expects an (N, {_options.InputChannels}, H, W) input, but got shape [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        AuxiliaryLogits = null;
        var s0 = _stem.Call(input);
        var s1 = s0;
        try
        {
            for (var i = 0; i < _cells.Count; i++)
            {
                var s = _cells[i].Run(s0, s1, _dropPathProbability, _dropPathGenerator);
                if (!ReferenceEquals(s0, s1))
                {
                    s0.Dispose();
                }

                (s0, s1) = (s1, s);
                if (i == _auxiliaryCell && _auxiliaryHead is not null && IsTraining)
                {
                    AuxiliaryLogits = _auxiliaryHead.Call(s1);
                }
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
}
