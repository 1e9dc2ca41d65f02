using NasKit.Data;
using NasKit.SearchSpace.Nb201;
using NasKit.Supernet;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>
/// Scores a SPOS candidate with inherited weights (ALGORITHMS.md §14.2 tester): recompute the batch-norm statistics of its path on
/// training batches, then measure its accuracy on architecture-stream batches in evaluation mode. The batches are the same for every
/// candidate (a fixed seeded order).
/// </summary>
internal sealed class SposScorer(OneShotSearchOptions options, Nb201Supernet supernet, IDataset weightData, IDataset architectureData)
{
    private readonly DataLoader _recalibration = new(weightData, Math.Min(options.RecalibrationBatchSize, weightData.Count), shuffle: true, seed: options.Seed + 2, dropLast: true);
    private readonly DataLoader _evaluation = new(architectureData, Math.Min(options.EvaluationBatchSize, architectureData.Count), shuffle: true, seed: options.Seed + 3, dropLast: true);

    public double Score(Nb201Cell cell, CancellationToken cancellationToken)
    {
        if (options.RecalibrationBatches > 0)
        {
            BatchNormRecalibration.Recalibrate(supernet, Inputs(_recalibration, options.RecalibrationBatches), x => supernet.ForwardPath(x, cell), cancellationToken);
        }

        supernet.Eval();
        var correct = 0;
        var count = 0;
        using (Autograd.NoGrad())
        {
            foreach (var batch in _evaluation.GetEpoch(0).Take(options.EvaluationBatches))
            {
                using (batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var logits = supernet.ForwardPath(batch.Inputs, cell);
                    correct += SearchState.CountCorrect(logits, batch.Targets);
                    count += batch.Count;
                }
            }
        }

        supernet.Train();
        return count == 0 ? 0 : (double)correct / count;
    }

    private static IEnumerable<Tensor> Inputs(DataLoader loader, int batches)
    {
        foreach (var batch in loader.GetEpoch(0).Take(batches))
        {
            using (batch)
            {
                yield return batch.Inputs;
            }
        }
    }
}
