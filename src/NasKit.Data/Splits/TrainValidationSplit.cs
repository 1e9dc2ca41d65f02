namespace NasKit.Data.Splits;

/// <summary>Represents a dataset divided into disjoint training and validation views.</summary>
/// <param name="Train">The training samples.</param>
/// <param name="Validation">The validation samples.</param>
public sealed record TrainValidationSplit(SubsetDataset Train, SubsetDataset Validation);
