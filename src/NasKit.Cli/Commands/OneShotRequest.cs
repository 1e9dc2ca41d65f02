using NasKit.Optimizers.OneShot;

namespace NasKit.Cli.Commands;

/// <summary>The inputs of <c>naskit search</c> with a one-shot strategy.</summary>
internal sealed record OneShotRequest(
    string? Table,
    string? Dataset,
    string DataFolder,
    OneShotMethod Method,
    int Epochs,
    int Cells,
    int Channels,
    int BatchSize,
    long Seed,
    int? TrainSamples,
    int? RetrainEpochs,
    int? RetrainSamples,
    string? Store,
    string? Study,
    string? Checkpoint);
