namespace NasKit.Optimizers;

/// <summary>The outcome of <c>Study.OptimizeAsync</c>: the best so far, also when the run was cut short.</summary>
/// <param name="BestTrial">The best completed trial of a single-objective study, or null (none completed, or several objectives).</param>
/// <param name="ParetoFront">The completed trials no other completed trial dominates.</param>
/// <param name="TrialCount">The trials in the study when the run ended.</param>
/// <param name="Stopped">Whether the run ended before the budget (cancelled or timed out).</param>
public sealed record StudyResult(FrozenTrial? BestTrial, IReadOnlyList<FrozenTrial> ParetoFront, int TrialCount, bool Stopped);
