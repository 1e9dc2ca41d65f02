using NasKit.Optimizers.Internal;
using NasKit.SearchSpace;

namespace NasKit.Optimizers.Strategies;

/// <summary>
/// A predictor-guided strategy in the style of BANANAS (White, Neiswanger, Savani, AAAI 2021): an ensemble of small neural networks
/// trained on the path encoding of the evaluated architectures predicts the fitness of mutations of the best ones, and an acquisition
/// over the ensemble's mean and spread picks the next architecture.
/// </summary>
/// <remarks>
/// <para><b>Procedure.</b> Until <see cref="InitialSamples"/> trials have completed, proposals are uniform samples. Then each proposal
/// (1) encodes every completed architecture with the space's <see cref="ArchitectureEncoding.Path"/> encoding (the
/// <see cref="ArchitectureEncoding.OneHot"/> encoding when the space has no path encoding, <see cref="ArchitectureEncoding.Integer"/>
/// when it has neither); (2) standardises the fitness (higher is better) to zero mean and unit variance, after replacing the fitness of
/// infeasible trials by the worst feasible fitness minus one standard deviation; (3) trains <see cref="EnsembleSize"/> fully connected ReLU
/// networks (<see cref="HiddenLayers"/> × <see cref="HiddenWidth"/>, Adam with learning rate <see cref="LearningRate"/>, mean squared
/// error, mini-batches of 32, <see cref="Epochs"/> epochs but at most <see cref="MaxTrainingSteps"/> steps) with NasKit.Tensors, each from a generator spawned from the context's, so the
/// proposal is a function of (space, history, generator); (4) draws <see cref="CandidateCount"/> distinct candidates not yet in the study,
/// each a mutation (<see cref="ISearchSpace.Mutate"/>, repeated while the result is already known) of one of the
/// <see cref="ParentCount"/> fittest architectures, taken in turn; (5) scores each candidate by the acquisition over the members' mean and
/// standard deviation (<see cref="BananasAcquisition.ThompsonSampling"/> by default, the paper's ITS) and proposes the best.</para>
/// <para><b>Differences from the paper.</b> The paper's networks have 10 layers of width 20 and train for 200 epochs; NasKit's defaults are
/// smaller (<see cref="DefaultHiddenLayers"/> × <see cref="DefaultHiddenWidth"/>, <see cref="DefaultEpochs"/> epochs capped at
/// <see cref="DefaultMaxTrainingSteps"/> steps) so that a proposal takes
/// a fraction of a second on two CPU cores with a hundred trials, which is what a tabular or cheap-proxy search needs. The study's
/// de-duplication replaces the paper's check that candidates are new.</para>
/// <para>The strategy needs a single objective (the context's fitness, or its only objective); it throws for multi-objective studies.</para>
/// </remarks>
public sealed class Bananas : ISearchStrategy
{
    /// <summary>The default number of uniform samples before the predictor is used: 10.</summary>
    public const int DefaultInitialSamples = 10;

    /// <summary>The default ensemble size: 5 (the paper's).</summary>
    public const int DefaultEnsembleSize = 5;

    /// <summary>The default number of candidates scored per proposal: 100 (the paper's).</summary>
    public const int DefaultCandidateCount = 100;

    /// <summary>The default number of fittest architectures whose mutations are the candidates: 10.</summary>
    public const int DefaultParentCount = 10;

    /// <summary>The default number of hidden layers per network: 2.</summary>
    public const int DefaultHiddenLayers = 2;

    /// <summary>The default width of the hidden layers: 20 (the paper's width).</summary>
    public const int DefaultHiddenWidth = 20;

    /// <summary>The default number of training epochs: 30.</summary>
    public const int DefaultEpochs = 30;

    /// <summary>The default cap on the Adam steps per network: 100 (30 epochs of a hundred trials take 120).</summary>
    public const int DefaultMaxTrainingSteps = 100;

    /// <summary>The default Adam learning rate: 0.01 (the paper's).</summary>
    public const double DefaultLearningRate = 0.01;

    /// <summary>The default κ of <see cref="BananasAcquisition.UpperConfidenceBound"/>: 0.5.</summary>
    public const double DefaultExplorationWeight = 0.5;

    private const int BatchSize = 32;

    /// <summary>Initializes a new instance of the <see cref="Bananas"/> class.</summary>
    /// <param name="initialSamples">The number of completed trials before the predictor is used (at least 2).</param>
    /// <param name="ensembleSize">The number of networks (at least 1; the spread is 0 with one).</param>
    /// <param name="candidateCount">The candidates scored per proposal (at least 1).</param>
    /// <param name="parentCount">The fittest architectures whose mutations are the candidates (at least 1).</param>
    /// <param name="acquisition">How candidates are scored.</param>
    /// <param name="explorationWeight">κ of the upper confidence bound (not negative; ignored by Thompson sampling).</param>
    /// <param name="hiddenLayers">The hidden layers per network (at least 1).</param>
    /// <param name="hiddenWidth">The units per hidden layer (at least 1).</param>
    /// <param name="epochs">The training epochs (at least 1).</param>
    /// <param name="maxTrainingSteps">The most Adam steps per network (at least 1), whatever the epochs ask for.</param>
    /// <param name="learningRate">Adam's learning rate (positive).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside the range given for it.</exception>
    public Bananas(int initialSamples = DefaultInitialSamples, int ensembleSize = DefaultEnsembleSize, int candidateCount = DefaultCandidateCount,
        int parentCount = DefaultParentCount, BananasAcquisition acquisition = BananasAcquisition.ThompsonSampling,
        double explorationWeight = DefaultExplorationWeight, int hiddenLayers = DefaultHiddenLayers, int hiddenWidth = DefaultHiddenWidth,
        int epochs = DefaultEpochs, int maxTrainingSteps = DefaultMaxTrainingSteps, double learningRate = DefaultLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialSamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(ensembleSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidateCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parentCount, 1);
        if (acquisition is not (BananasAcquisition.ThompsonSampling or BananasAcquisition.UpperConfidenceBound))
        {
            throw new ArgumentOutOfRangeException(nameof(acquisition), acquisition, $"The acquisition must be ThompsonSampling or UpperConfidenceBound, but got {(int)acquisition}.");
        }

        if (!(explorationWeight >= 0) || !double.IsFinite(explorationWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(explorationWeight), explorationWeight, $"'explorationWeight >= 0' must hold, but got explorationWeight={explorationWeight}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenLayers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrainingSteps, 1);
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"'learningRate > 0' must hold, but got learningRate={learningRate}.");
        }

        InitialSamples = initialSamples;
        EnsembleSize = ensembleSize;
        CandidateCount = candidateCount;
        ParentCount = parentCount;
        Acquisition = acquisition;
        ExplorationWeight = explorationWeight;
        HiddenLayers = hiddenLayers;
        HiddenWidth = hiddenWidth;
        Epochs = epochs;
        MaxTrainingSteps = maxTrainingSteps;
        LearningRate = learningRate;
    }

    /// <inheritdoc/>
    public string Name => "bananas";

    /// <summary>Gets the number of completed trials before the predictor is used.</summary>
    /// <value>The default value is <see cref="DefaultInitialSamples"/> (10).</value>
    public int InitialSamples { get; }

    /// <summary>Gets the number of networks in the ensemble.</summary>
    /// <value>The default value is <see cref="DefaultEnsembleSize"/> (5).</value>
    public int EnsembleSize { get; }

    /// <summary>Gets the number of candidates scored per proposal.</summary>
    /// <value>The default value is <see cref="DefaultCandidateCount"/> (100).</value>
    public int CandidateCount { get; }

    /// <summary>Gets the number of fittest architectures whose mutations are the candidates.</summary>
    /// <value>The default value is <see cref="DefaultParentCount"/> (10).</value>
    public int ParentCount { get; }

    /// <summary>Gets how candidates are scored.</summary>
    /// <value>The default value is <see cref="BananasAcquisition.ThompsonSampling"/>.</value>
    public BananasAcquisition Acquisition { get; }

    /// <summary>Gets κ of the upper confidence bound.</summary>
    /// <value>The default value is <see cref="DefaultExplorationWeight"/> (0.5).</value>
    public double ExplorationWeight { get; }

    /// <summary>Gets the number of hidden layers per network.</summary>
    /// <value>The default value is <see cref="DefaultHiddenLayers"/> (2).</value>
    public int HiddenLayers { get; }

    /// <summary>Gets the width of the hidden layers.</summary>
    /// <value>The default value is <see cref="DefaultHiddenWidth"/> (20).</value>
    public int HiddenWidth { get; }

    /// <summary>Gets the number of training epochs per network.</summary>
    /// <value>The default value is <see cref="DefaultEpochs"/> (30).</value>
    public int Epochs { get; }

    /// <summary>Gets the cap on the Adam steps per network, which keeps the cost of a proposal from growing with the history.</summary>
    /// <value>The default value is <see cref="DefaultMaxTrainingSteps"/> (100).</value>
    public int MaxTrainingSteps { get; }

    /// <summary>Gets Adam's learning rate.</summary>
    /// <value>The default value is <see cref="DefaultLearningRate"/> (0.01).</value>
    public double LearningRate { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The study has several objectives, or neither objectives nor a fitness.</exception>
    public Architecture Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var completed = context.Completed.ToList();
        if (completed.Count < InitialSamples)
        {
            return context.Space.Sample(context.Generator);
        }

        var table = ObjectiveTable.From(context, completed, Name);
        if (table.ObjectiveCount != 1)
        {
            throw new InvalidOperationException($"The {Name} strategy predicts one objective, but the study has {table.ObjectiveCount}; use a multi-objective strategy such as nsga2.");
        }

        var order = table.SingleObjectiveOrder();
        var parents = order.Take(ParentCount).Select(i => context.ArchitectureOf(completed[i])).ToList();
        var candidates = Candidates(context, parents);
        if (candidates.Count == 0)
        {
            return context.Space.Sample(context.Generator);
        }

        var encoding = ChooseEncoding(context.Space);
        var inputs = completed.Select(t => context.Space.Encode(context.ArchitectureOf(t), encoding)).ToList();
        var targets = Targets(table);
        var settings = new MlpEnsemble.Settings(EnsembleSize, HiddenLayers, HiddenWidth, Epochs, MaxTrainingSteps, BatchSize, LearningRate);
        var predictions = MlpEnsemble.FitPredict(inputs, targets, [.. candidates.Select(a => context.Space.Encode(a, encoding))], settings, context.Generator);

        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < candidates.Count; c++)
        {
            var mean = 0.0;
            foreach (var member in predictions)
            {
                mean += member[c];
            }

            mean /= predictions.Length;
            var variance = 0.0;
            foreach (var member in predictions)
            {
                variance += (member[c] - mean) * (member[c] - mean);
            }

            var std = predictions.Length > 1 ? Math.Sqrt(variance / (predictions.Length - 1)) : 0;
            var score = Acquisition == BananasAcquisition.ThompsonSampling
                ? mean + (std * context.Generator.NextNormal())
                : mean + (ExplorationWeight * std);
            if (score > bestScore)
            {
                (best, bestScore) = (c, score);
            }
        }

        return candidates[best];
    }

    /// <summary>Picks the predictor's input encoding: path, else one-hot, else integer.</summary>
    /// <param name="space">The space.</param>
    /// <returns>The encoding.</returns>
    internal static ArchitectureEncoding ChooseEncoding(ISearchSpace space)
    {
        var supported = space.SupportedEncodings;
        return supported.Contains(ArchitectureEncoding.Path) ? ArchitectureEncoding.Path
            : supported.Contains(ArchitectureEncoding.OneHot) ? ArchitectureEncoding.OneHot
            : ArchitectureEncoding.Integer;
    }

    /// <summary>Standardised training targets, higher is better; infeasible trials sit one standard deviation below the worst feasible one.</summary>
    private static float[] Targets(ObjectiveTable table)
    {
        var n = table.Trials.Count;
        var raw = new double[n];
        var feasible = Enumerable.Range(0, n).Where(i => table.Violation(i) <= 0).ToList();
        for (var i = 0; i < n; i++)
        {
            raw[i] = -table.Minimized(i, 0);
        }

        if (feasible.Count < n)
        {
            // Infeasible trials: below every feasible one (ordered among themselves by violation), without dragging the scale along.
            var values = feasible.Select(i => raw[i]).ToList();
            var floor = values.Count == 0 ? 0 : values.Min() - Math.Max(StandardDeviation(values), 1e-12);
            for (var i = 0; i < n; i++)
            {
                if (table.Violation(i) > 0)
                {
                    raw[i] = floor - (table.Violation(i) / (1 + table.Violation(i)));
                }
            }
        }

        var mean = raw.Average();
        var std = StandardDeviation(raw);
        var scale = std > 1e-12 ? std : 1;
        return [.. raw.Select(v => (float)((v - mean) / scale))];
    }

    private static double StandardDeviation(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    private List<Architecture> Candidates(StrategyContext context, List<Architecture> parents)
    {
        var candidates = new List<Architecture>(CandidateCount);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        const int ExtraMutations = 3;
        for (var attempt = 0; attempt < CandidateCount * 4 && candidates.Count < CandidateCount; attempt++)
        {
            var child = context.Space.Mutate(parents[attempt % parents.Count], context.Generator);
            for (var extra = 0; extra < ExtraMutations && (context.HasSeen(child) || hashes.Contains(child.CanonicalHash())); extra++)
            {
                child = context.Space.Mutate(child, context.Generator);
            }

            if (!context.HasSeen(child) && hashes.Add(child.CanonicalHash()))
            {
                candidates.Add(child);
            }
        }

        return candidates;
    }
}
