using NasKit.SearchSpace.Nb201;

namespace NasKit.Optimizers.OneShot;

/// <summary>What one epoch of a <see cref="OneShotSearch"/> produced: the losses, the derived cell, and the time spent so far.</summary>
/// <param name="Epoch">The epoch, from 0.</param>
/// <param name="Epochs">The total number of epochs.</param>
/// <param name="TrainLoss">The mean cross-entropy of the weight steps.</param>
/// <param name="TrainAccuracy">The supernet's accuracy on the weight batches, as trained.</param>
/// <param name="ArchitectureAccuracy">The supernet's accuracy on the architecture batches seen by the architecture steps, or null for a
/// method without them (SPOS).</param>
/// <param name="Cell">The cell derived at the end of the epoch (per-edge argmax of α), or null for SPOS, whose cell comes from the evolution after the last epoch.</param>
/// <param name="Temperature">The mixing temperature of the epoch (sparsemax T or Gumbel τ), or null when the rule has none.</param>
/// <param name="ActiveOperations">The mean number of operations computed per edge in the last forward pass (sparse execution).</param>
/// <param name="SearchSeconds">The search time so far, in seconds, over every run of a resumed search.</param>
public sealed record OneShotEpochReport(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double TrainAccuracy,
    double? ArchitectureAccuracy,
    Nb201Cell? Cell,
    double? Temperature,
    double ActiveOperations,
    double SearchSeconds);
