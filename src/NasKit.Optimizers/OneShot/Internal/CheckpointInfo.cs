namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>The JSON part of a one-shot checkpoint.</summary>
internal sealed record CheckpointInfo
{
    public string Fingerprint { get; init; } = string.Empty;

    public int CompletedEpochs { get; init; }

    public double SearchSeconds { get; init; }

    public List<GeneratorSnapshot> Generators { get; init; } = [];

    public List<EpochRecord> History { get; init; } = [];

    public Dictionary<string, double>? WeightOptimizerScalars { get; init; }

    public Dictionary<string, double>? ArchitectureOptimizerScalars { get; init; }
}
