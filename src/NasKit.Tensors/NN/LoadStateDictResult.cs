namespace NasKit.Tensors.NN;

/// <summary>Represents the keys that did not line up when a state dict was loaded non-strictly.</summary>
/// <param name="MissingKeys">Keys the module has but the state dict lacks.</param>
/// <param name="UnexpectedKeys">Keys the state dict has but the module lacks.</param>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
