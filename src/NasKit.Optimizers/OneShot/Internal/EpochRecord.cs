using NasKit.SearchSpace.Nb201;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>An <see cref="OneShotEpochReport"/> in JSON-friendly form (the cell by its index).</summary>
internal sealed record EpochRecord(int Epoch, int Epochs, double TrainLoss, double TrainAccuracy, double? ArchitectureAccuracy, int? CellIndex, double? Temperature, double ActiveOperations, double SearchSeconds)
{
    public static EpochRecord Of(OneShotEpochReport r) =>
        new(r.Epoch, r.Epochs, r.TrainLoss, r.TrainAccuracy, r.ArchitectureAccuracy, r.Cell?.Index, r.Temperature, r.ActiveOperations, r.SearchSeconds);

    public OneShotEpochReport ToReport() =>
        new(Epoch, Epochs, TrainLoss, TrainAccuracy, ArchitectureAccuracy, CellIndex is { } index ? Nb201Cell.FromIndex(index) : null, Temperature, ActiveOperations, SearchSeconds);
}
