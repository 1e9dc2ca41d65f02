namespace NasKit.Optimizers;

/// <summary>One entry of <see cref="Study.GetHypervolumeHistory"/>: a completed trial and the hypervolume of the feasible completed trials
/// once it had completed.</summary>
/// <param name="TrialNumber">The completed trial's number.</param>
/// <param name="Hypervolume">The hypervolume reached, at least 0.</param>
public sealed record HypervolumeStep(int TrialNumber, double Hypervolume);
