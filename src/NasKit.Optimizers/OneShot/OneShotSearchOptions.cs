using System.Globalization;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Optimizers.OneShot;

/// <summary>
/// Configures a <see cref="OneShotSearch"/>: the method, the supernet, the data split, both optimizers and every method-specific
/// hyper-parameter. The constructor fills in the defaults of the method's reference code; change any of them with an object
/// initializer or <c>with</c>.
/// </summary>
/// <remarks>
/// <para>Defaults by method (NAS-Bench-201 ports): DARTS, DARTS-2nd, GDAS and SPOS train weights with SGD lr 0.025 cosine-annealed to
/// 0.001, momentum 0.9, Nesterov, weight decay 5e-4, gradient-norm clip 5, and (DARTS, GDAS) architecture logits with Adam lr 3e-4,
/// betas (0.5, 0.999), weight decay 1e-3. ZO-DARTS and ZO-DARTS+ use SGD lr 0.1 → 0.001, weight decay 3e-4 and Adam lr 1.5e-2 for α,
/// an architecture step every <see cref="Rounds"/> = 10 weight steps, perturbation radius μ = 0.005·‖α‖, and for ZO-DARTS+ sparsemax
/// with T = 1.5·0.75^⌊epoch/5⌋. GDAS anneals τ linearly from 10 to 0.1; SPOS's evolution uses population 50, 20 generations,
/// top-10 parents, 25 mutations (p = 0.1) and 25 crossovers.</para>
/// <para>The learning rate follows a cosine schedule evaluated at every step (epoch + step/steps), as the NAS-Bench-201 search code
/// does.</para>
/// </remarks>
public sealed record OneShotSearchOptions
{
    /// <summary>Initializes a new instance of the <see cref="OneShotSearchOptions"/> class with the defaults of a method.</summary>
    /// <param name="method">The search method.</param>
    public OneShotSearchOptions(OneShotMethod method)
    {
        Method = method;
        if (method is OneShotMethod.ZoDarts or OneShotMethod.ZoDartsPlus)
        {
            WeightLearningRate = 0.1;
            WeightDecay = 3e-4;
            ArchitectureLearningRate = 1.5e-2;
        }

        if (method == OneShotMethod.ZoDartsPlus)
        {
            Network = Nb201NetworkOptions.Cifar10 with { CellsPerStage = 3 };
        }
    }

    /// <summary>Gets the search method.</summary>
    public OneShotMethod Method { get; init; }

    /// <summary>Gets the supernet's skeleton (C, N, input channels and size, classes); they must match the data.</summary>
    /// <value>The default value is the CIFAR-10 preset (C = 16, N = 5, 3×32×32, 10 classes); for ZO-DARTS+ N = 3, as in its paper.</value>
    public Nb201NetworkOptions Network { get; init; } = Nb201NetworkOptions.Cifar10;

    /// <summary>Gets the number of search epochs.</summary>
    /// <value>The default value is 50.</value>
    public int Epochs { get; init; } = 50;

    /// <summary>Gets the batch size of both data streams.</summary>
    /// <value>The default value is 64.</value>
    public int BatchSize { get; init; } = 64;

    /// <summary>Gets the seed of every random choice (split, data order, α and weight initialization, sampling, directions).</summary>
    /// <value>The default value is 0.</value>
    public long Seed { get; init; }

    /// <summary>Gets the fraction of the search data that forms the architecture (validation) stream; the rest trains the weights.</summary>
    /// <value>The default value is 0.5 (DARTS's 50/50 split).</value>
    public double ArchitectureFraction { get; init; } = 0.5;

    /// <summary>Gets whether the search cells' batch norms keep running statistics.</summary>
    /// <value>The default value is false (DARTS and ZO-DARTS convention).</value>
    public bool TrackRunningStats { get; init; }

    /// <summary>Gets the weight optimizer's initial learning rate.</summary>
    /// <value>The default value is 0.025 (0.1 for the ZO methods).</value>
    public double WeightLearningRate { get; init; } = 0.025;

    /// <summary>Gets the learning rate the cosine schedule ends at.</summary>
    /// <value>The default value is 0.001.</value>
    public double WeightLearningRateMin { get; init; } = 0.001;

    /// <summary>Gets the weight optimizer's momentum.</summary>
    /// <value>The default value is 0.9.</value>
    public double WeightMomentum { get; init; } = 0.9;

    /// <summary>Gets whether the weight optimizer uses Nesterov momentum.</summary>
    /// <value>The default value is true.</value>
    public bool WeightNesterov { get; init; } = true;

    /// <summary>Gets the weight optimizer's weight decay.</summary>
    /// <value>The default value is 5e-4 (3e-4 for the ZO methods).</value>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Gets the maximum L2 norm of the weight gradient (clipped before each step); 0 disables clipping.</summary>
    /// <value>The default value is 5.</value>
    public double GradientClip { get; init; } = 5;

    /// <summary>Gets the architecture optimizer's (Adam) learning rate.</summary>
    /// <value>The default value is 3e-4 (1.5e-2 for the ZO methods).</value>
    public double ArchitectureLearningRate { get; init; } = 3e-4;

    /// <summary>Gets Adam's first beta for α.</summary>
    /// <value>The default value is 0.5.</value>
    public double ArchitectureBeta1 { get; init; } = 0.5;

    /// <summary>Gets Adam's second beta for α.</summary>
    /// <value>The default value is 0.999.</value>
    public double ArchitectureBeta2 { get; init; } = 0.999;

    /// <summary>Gets the architecture optimizer's weight decay.</summary>
    /// <value>The default value is 1e-3.</value>
    public double ArchitectureWeightDecay { get; init; } = 1e-3;

    /// <summary>
    /// Gets whether passes that do not depend on each other run side by side on the engine's threads, each with single-threaded kernels
    /// (<see cref="NasKit.Tensors.TensorEngine.RunConcurrently"/>): ZO-DARTS's weight steps of the supernet and of its perturbed copy,
    /// and DARTS-2nd's two gradients at w ± εv. The update rules are unchanged; results differ from the sequential schedule only in the
    /// rounding of kernel reductions, and are deterministic either way.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool ConcurrentPasses { get; init; } = true;

    /// <summary>Gets DARTS-2nd's finite-difference scale: ε = <see cref="HessianEpsilon"/> / ‖v‖.</summary>
    /// <value>The default value is 0.01.</value>
    public double HessianEpsilon { get; init; } = 0.01;

    /// <summary>Gets the ZO methods' number of weight steps per architecture step (R).</summary>
    /// <value>The default value is 10.</value>
    public int Rounds { get; init; } = 10;

    /// <summary>Gets the ZO methods' perturbation radius factor: μ = factor · ‖vec(α)‖₂.</summary>
    /// <value>The default value is 0.005.</value>
    public double PerturbationScale { get; init; } = 0.005;

    /// <summary>Gets ZO-DARTS+'s initial sparsemax temperature T₀.</summary>
    /// <value>The default value is 1.5.</value>
    public double InitialTemperature { get; init; } = 1.5;

    /// <summary>Gets ZO-DARTS+'s temperature decay factor.</summary>
    /// <value>The default value is 0.75.</value>
    public double TemperatureDecay { get; init; } = 0.75;

    /// <summary>Gets ZO-DARTS+'s temperature decay period in epochs.</summary>
    /// <value>The default value is 5.</value>
    public int TemperatureDecayPeriod { get; init; } = 5;

    /// <summary>Gets GDAS's Gumbel-softmax temperature at the first epoch.</summary>
    /// <value>The default value is 10.</value>
    public double TauMax { get; init; } = 10;

    /// <summary>Gets GDAS's Gumbel-softmax temperature at the last epoch.</summary>
    /// <value>The default value is 0.1.</value>
    public double TauMin { get; init; } = 0.1;

    /// <summary>Gets SPOS's evolution population size.</summary>
    /// <value>The default value is 50.</value>
    public int EvolutionPopulation { get; init; } = 50;

    /// <summary>Gets SPOS's number of generations.</summary>
    /// <value>The default value is 20.</value>
    public int EvolutionGenerations { get; init; } = 20;

    /// <summary>Gets SPOS's number of parents (the best candidates) per generation.</summary>
    /// <value>The default value is 10.</value>
    public int EvolutionParents { get; init; } = 10;

    /// <summary>Gets SPOS's number of mutation children per generation.</summary>
    /// <value>The default value is 25.</value>
    public int EvolutionMutations { get; init; } = 25;

    /// <summary>Gets SPOS's number of crossover children per generation.</summary>
    /// <value>The default value is 25.</value>
    public int EvolutionCrossovers { get; init; } = 25;

    /// <summary>Gets SPOS's per-edge mutation probability.</summary>
    /// <value>The default value is 0.1.</value>
    public double MutationProbability { get; init; } = 0.1;

    /// <summary>Gets how many training batches recompute the batch-norm statistics of each SPOS candidate (0 keeps batch statistics).</summary>
    /// <value>The default value is 200 (SPOS uses 200 batches of 128, <see cref="RecalibrationBatchSize"/>).</value>
    public int RecalibrationBatches { get; init; } = 200;

    /// <summary>Gets the batch size of SPOS's recalibration passes.</summary>
    /// <value>The default value is 128 (SPOS).</value>
    public int RecalibrationBatchSize { get; init; } = 128;

    /// <summary>Gets how many architecture-stream batches score each SPOS candidate.</summary>
    /// <value>The default value is 40 (SPOS uses 40 batches of 200).</value>
    public int EvaluationBatches { get; init; } = 40;

    /// <summary>Gets the batch size of SPOS's scoring passes.</summary>
    /// <value>The default value is 200.</value>
    public int EvaluationBatchSize { get; init; } = 200;

    /// <summary>Gets the checkpoint file written at every epoch boundary; when it exists at the start, the search resumes from it. Null
    /// disables checkpoints.</summary>
    /// <value>The default value is null.</value>
    public string? CheckpointPath { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <returns>One message per invalid setting (empty when all are valid); each names the setting, the rule and the value.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string rule, object value)
        {
            if (!ok)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{rule}' must hold, but got {value}."));
            }
        }

        Require(Enum.IsDefined(Method), "Method is a defined OneShotMethod", (int)Method);
        Require(Network is not null, "Network is not null", "null");
        Require(Epochs > 0, "Epochs > 0", Epochs);
        Require(BatchSize > 0, "BatchSize > 0", BatchSize);
        Require(ArchitectureFraction > 0 && ArchitectureFraction < 1, "0 < ArchitectureFraction < 1", ArchitectureFraction);
        Require(WeightLearningRate > 0 && double.IsFinite(WeightLearningRate), "WeightLearningRate > 0", WeightLearningRate);
        Require(WeightLearningRateMin >= 0 && WeightLearningRateMin <= WeightLearningRate, "0 <= WeightLearningRateMin <= WeightLearningRate", WeightLearningRateMin);
        Require(WeightMomentum >= 0 && WeightMomentum < 1, "0 <= WeightMomentum < 1", WeightMomentum);
        Require(WeightDecay >= 0, "WeightDecay >= 0", WeightDecay);
        Require(GradientClip >= 0, "GradientClip >= 0", GradientClip);
        Require(ArchitectureLearningRate > 0 && double.IsFinite(ArchitectureLearningRate), "ArchitectureLearningRate > 0", ArchitectureLearningRate);
        Require(ArchitectureBeta1 is >= 0 and < 1, "0 <= ArchitectureBeta1 < 1", ArchitectureBeta1);
        Require(ArchitectureBeta2 is >= 0 and < 1, "0 <= ArchitectureBeta2 < 1", ArchitectureBeta2);
        Require(ArchitectureWeightDecay >= 0, "ArchitectureWeightDecay >= 0", ArchitectureWeightDecay);
        Require(HessianEpsilon > 0, "HessianEpsilon > 0", HessianEpsilon);
        Require(Rounds > 0, "Rounds > 0", Rounds);
        Require(PerturbationScale > 0, "PerturbationScale > 0", PerturbationScale);
        Require(InitialTemperature > 0, "InitialTemperature > 0", InitialTemperature);
        Require(TemperatureDecay > 0 && TemperatureDecay <= 1, "0 < TemperatureDecay <= 1", TemperatureDecay);
        Require(TemperatureDecayPeriod > 0, "TemperatureDecayPeriod > 0", TemperatureDecayPeriod);
        Require(TauMin > 0 && TauMax >= TauMin, "0 < TauMin <= TauMax", string.Create(CultureInfo.InvariantCulture, $"TauMin={TauMin}, TauMax={TauMax}"));
        Require(EvolutionPopulation > 0, "EvolutionPopulation > 0", EvolutionPopulation);
        Require(EvolutionGenerations > 0, "EvolutionGenerations > 0", EvolutionGenerations);
        Require(EvolutionParents > 0 && EvolutionParents <= EvolutionPopulation, "0 < EvolutionParents <= EvolutionPopulation", EvolutionParents);
        Require(EvolutionMutations >= 0, "EvolutionMutations >= 0", EvolutionMutations);
        Require(EvolutionCrossovers >= 0, "EvolutionCrossovers >= 0", EvolutionCrossovers);
        Require(MutationProbability is >= 0 and <= 1, "0 <= MutationProbability <= 1", MutationProbability);
        Require(RecalibrationBatches >= 0, "RecalibrationBatches >= 0", RecalibrationBatches);
        Require(RecalibrationBatchSize > 0, "RecalibrationBatchSize > 0", RecalibrationBatchSize);
        Require(EvaluationBatches > 0, "EvaluationBatches > 0", EvaluationBatches);
        Require(EvaluationBatchSize > 0, "EvaluationBatchSize > 0", EvaluationBatchSize);
        return errors;
    }
}
