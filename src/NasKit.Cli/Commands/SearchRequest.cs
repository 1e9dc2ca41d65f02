using NasKit.Objectives;

namespace NasKit.Cli.Commands;

/// <summary>The validated inputs of <c>naskit search</c>.</summary>
internal sealed record SearchRequest(
    string? Table,
    string? Dataset,
    string DataFolder,
    string Strategy,
    IReadOnlyList<Objective> Objectives,
    IReadOnlyList<string> Reports,
    IReadOnlyList<Constraint> Constraints,
    int Trials,
    long Seed,
    string? Store,
    string Study,
    int Epochs = 1,
    int TrainSamples = 5000,
    int Channels = 8,
    int Cells = 1);
