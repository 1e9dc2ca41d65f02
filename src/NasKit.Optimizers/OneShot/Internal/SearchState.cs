using NasKit.Data;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NasKit.Tensors.Optim;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>The mutable state one search works on: the supernet, both optimizers, the current learning rate and the epoch's statistics.</summary>
internal sealed class SearchState : IDisposable
{
    public SearchState(OneShotSearchOptions options, Nb201Supernet supernet)
    {
        Options = options;
        Supernet = supernet;
        Weights = supernet.WeightParameters().ToArray();
        WeightOptimizer = CreateWeightOptimizer(options, Weights);
        ArchitectureOptimizer = new Adam(
            supernet.ArchitectureParameters(),
            new AdamOptions
            {
                LearningRate = options.ArchitectureLearningRate,
                Beta1 = options.ArchitectureBeta1,
                Beta2 = options.ArchitectureBeta2,
                WeightDecay = options.ArchitectureWeightDecay,
            });
    }

    public OneShotSearchOptions Options { get; }

    public Nb201Supernet Supernet { get; }

    public Parameter[] Weights { get; }

    public Sgd WeightOptimizer { get; }

    public Adam ArchitectureOptimizer { get; }

    public double LearningRate { get; private set; }

    public double TrainLossSum { get; private set; }

    public int TrainCorrect { get; private set; }

    public int TrainCount { get; private set; }

    public int TrainSteps { get; private set; }

    public int ArchitectureCorrect { get; private set; }

    public int ArchitectureCount { get; private set; }

    public static Sgd CreateWeightOptimizer(OneShotSearchOptions options, IEnumerable<Parameter> weights) =>
        new(weights, new SgdOptions
        {
            LearningRate = options.WeightLearningRate,
            Momentum = options.WeightMomentum,
            Nesterov = options.WeightNesterov,
            WeightDecay = options.WeightDecay,
        });

    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> targets)
    {
        var values = logits.ToArray();
        var classes = logits.Shape[1];
        var correct = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (values[(i * classes) + c] > values[(i * classes) + best])
                {
                    best = c;
                }
            }

            correct += best == targets[i] ? 1 : 0;
        }

        return correct;
    }

    /// <summary>Sets the cosine-annealed learning rate of an epoch (constant within the epoch, as in the NAS-Bench-201 search code).</summary>
    public void SetLearningRate(double progress)
    {
        var o = Options;
        LearningRate = o.WeightLearningRateMin + ((o.WeightLearningRate - o.WeightLearningRateMin) * 0.5 * (1 + Math.Cos(Math.PI * progress / o.Epochs)));
        WeightOptimizer.Groups[0].LearningRate = LearningRate;
    }

    public void ResetEpochStatistics()
    {
        TrainLossSum = 0;
        TrainCorrect = TrainCount = TrainSteps = ArchitectureCorrect = ArchitectureCount = 0;
    }

    /// <summary>One SGD step of the supernet's weights on a batch (α fixed), with gradient clipping; counts the statistics.</summary>
    public void WeightStep(Batch batch)
    {
        RecordWeightStep(WeightStep(Supernet, Weights, WeightOptimizer, batch, Options.GradientClip), batch.Count);
    }

    /// <summary>Counts the statistics of a weight step of the supernet that ran elsewhere (<see cref="WeightStep(Nb201Supernet, IReadOnlyList{Parameter}, Optimizer, Batch, double)"/>).</summary>
    public void RecordWeightStep((double Loss, int Correct) step, int count)
    {
        var (loss, correct) = step;
        TrainLossSum += loss;
        TrainCorrect += correct;
        TrainCount += count;
        TrainSteps++;
    }

    /// <summary>One SGD step of a network's weights on a batch; returns the loss and the number of correct predictions.</summary>
    public static (double Loss, int Correct) WeightStep(Nb201Supernet network, IReadOnlyList<Parameter> weights, Optimizer optimizer, Batch batch, double clip)
    {
        optimizer.ZeroGrad();
        using var logits = network.Call(batch.Inputs);
        using var loss = Functional.CrossEntropy(logits, batch.Targets);
        loss.Backward();
        if (clip > 0)
        {
            GradientClipping.ClipGradNorm(weights, clip);
        }

        optimizer.Step();
        return (loss.Item(), CountCorrect(logits, batch.Targets));
    }

    /// <summary>Counts the architecture-stream predictions of a forward pass.</summary>
    public void CountArchitecture(Tensor logits, ReadOnlySpan<int> targets)
    {
        ArchitectureCorrect += CountCorrect(logits, targets);
        ArchitectureCount += targets.Length;
    }

    public void Dispose()
    {
        WeightOptimizer.Dispose();
        ArchitectureOptimizer.Dispose();
    }
}
