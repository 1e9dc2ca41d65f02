namespace NasKit.SearchSpace.Custom.Internal;

/// <summary>One decision met while running a space's definition: the label, its choice and the value's code.</summary>
/// <param name="Label">The label.</param>
/// <param name="Choice">The choice declared under the label.</param>
/// <param name="Code">The value's code: its index for finite choices, the value itself for continuous ones.</param>
internal readonly record struct ChoiceRecord(string Label, Choice Choice, double Code);
