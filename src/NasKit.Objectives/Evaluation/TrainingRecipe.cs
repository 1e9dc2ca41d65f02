using System.Globalization;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Describes how <see cref="TrainingEvaluator"/> trains a candidate: epochs, batch size, SGD hyper-parameters, learning-rate schedule,
/// seed and an optional training subset.
/// </summary>
/// <remarks>
/// The defaults are those of NasKit's Fashion-MNIST recipe (samples/NasKit.Samples.FashionMnist): batch 128, SGD with Nesterov
/// momentum 0.9, learning rate 0.05 annealed to 0 by a per-step cosine schedule, weight decay 5e-4; one epoch. The recipe is validated
/// when an evaluator is created (<see cref="Validate"/> lists every problem).
/// </remarks>
public sealed record TrainingRecipe
{
    /// <summary>The default number of epochs.</summary>
    public const int DefaultEpochs = 1;

    /// <summary>The default batch size.</summary>
    public const int DefaultBatchSize = 128;

    /// <summary>The default initial learning rate.</summary>
    public const double DefaultLearningRate = 0.05;

    /// <summary>The default momentum.</summary>
    public const double DefaultMomentum = 0.9;

    /// <summary>The default weight decay.</summary>
    public const double DefaultWeightDecay = 5e-4;

    /// <summary>The default batch size for measuring accuracy.</summary>
    public const int DefaultEvaluationBatchSize = 500;

    /// <summary>Gets the number of training epochs, at least 1.</summary>
    /// <value>The default value is 1 (<see cref="DefaultEpochs"/>).</value>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Gets the training batch size, at least 1.</summary>
    /// <value>The default value is 128 (<see cref="DefaultBatchSize"/>).</value>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Gets the initial SGD learning rate, positive.</summary>
    /// <value>The default value is 0.05 (<see cref="DefaultLearningRate"/>).</value>
    public double LearningRate { get; init; } = DefaultLearningRate;

    /// <summary>Gets the SGD momentum, in [0, 1).</summary>
    /// <value>The default value is 0.9 (<see cref="DefaultMomentum"/>).</value>
    public double Momentum { get; init; } = DefaultMomentum;

    /// <summary>Gets whether SGD uses Nesterov momentum (needs a positive momentum).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Nesterov { get; init; } = true;

    /// <summary>Gets the L2 weight decay, at least 0.</summary>
    /// <value>The default value is 5e-4 (<see cref="DefaultWeightDecay"/>).</value>
    public double WeightDecay { get; init; } = DefaultWeightDecay;

    /// <summary>Gets whether the learning rate is annealed to 0 by a cosine schedule stepped after every batch (otherwise it is constant).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CosineSchedule { get; init; } = true;

    /// <summary>Gets the seed of weight initialisation, shuffling and the training subset.</summary>
    /// <value>The default value is 0.</value>
    public long Seed { get; init; }

    /// <summary>Gets the number of training samples to use (a seeded random subset), or null for the whole training set.</summary>
    /// <value>The default value is null.</value>
    public int? TrainSamples { get; init; }

    /// <summary>Gets the batch size used to measure accuracy, at least 1.</summary>
    /// <value>The default value is 500 (<see cref="DefaultEvaluationBatchSize"/>).</value>
    public int EvaluationBatchSize { get; init; } = DefaultEvaluationBatchSize;

    /// <summary>Checks the recipe and returns every problem (none when valid).</summary>
    /// <returns>The problems, each stating the rule and the actual value.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Epochs < 1)
        {
            errors.Add(Invariant($"'Epochs >= 1' must hold, but got Epochs={Epochs}."));
        }

        if (BatchSize < 1)
        {
            errors.Add(Invariant($"'BatchSize >= 1' must hold, but got BatchSize={BatchSize}."));
        }

        if (EvaluationBatchSize < 1)
        {
            errors.Add(Invariant($"'EvaluationBatchSize >= 1' must hold, but got EvaluationBatchSize={EvaluationBatchSize}."));
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            errors.Add(Invariant($"'LearningRate > 0' must hold and be finite, but got LearningRate={LearningRate}."));
        }

        if (!(Momentum is >= 0 and < 1))
        {
            errors.Add(Invariant($"'0 <= Momentum < 1' must hold, but got Momentum={Momentum}."));
        }

        if (Nesterov && !(Momentum > 0))
        {
            errors.Add(Invariant($"Nesterov momentum needs 'Momentum > 0', but got Momentum={Momentum}."));
        }

        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
        {
            errors.Add(Invariant($"'WeightDecay >= 0' must hold and be finite, but got WeightDecay={WeightDecay}."));
        }

        if (TrainSamples is < 1)
        {
            errors.Add(Invariant($"'TrainSamples >= 1' must hold when given, but got TrainSamples={TrainSamples}."));
        }

        return errors;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
